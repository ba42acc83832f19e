package tinykv.raft;

import static java.util.Objects.requireNonNull;

/**
 * The part of a node's state that is volatile: it need not be persisted, and is reported in a
 * {@link Ready} only when it changed.
 *
 * @param lead      the leader this node knows of, or {@link Raft#NONE}
 * @param raftState this node's role
 */
public record SoftState(long lead, StateType raftState) {
    public SoftState {
        requireNonNull(raftState, "raftState");
    }
}
