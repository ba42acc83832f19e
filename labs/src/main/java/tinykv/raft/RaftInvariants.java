package tinykv.raft;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.eraftpb.Message;

/**
 * Safety properties of Raft that a {@link RaftNetwork} checks after every delivery, so that a broken
 * node is caught at the step that broke it, not at a later assertion:
 *
 * <ul>
 *   <li><b>election safety</b> (Raft §5.2): at most one leader per term;
 *   <li><b>commit never goes back</b> (Raft §5.3): a node's commit index only grows;
 *   <li><b>commit within the log</b>: a node never commits an index it does not hold.
 * </ul>
 *
 * A violation names the property, the node, the delivery that broke it and the message delivered.
 */
final class RaftInvariants {
    private final Map<Long, Long> leaderByTerm = new TreeMap<>();
    private final Map<Long, Long> committedByNode = new TreeMap<>();

    /** A copy with the same history, which goes on independently. */
    RaftInvariants copy() {
        RaftInvariants copy = new RaftInvariants();
        copy.leaderByTerm.putAll(leaderByTerm);
        copy.committedByNode.putAll(committedByNode);
        return copy;
    }

    /** Checks {@code node} after it handled {@code cause}, the {@code delivery}-th message of a send. */
    void check(Raft node, int delivery, Message cause) {
        violation(node).ifPresent(what -> {
            throw new AssertionError("Raft invariant broken: " + what + ", right after node " + node.id
                    + " handled delivery #" + delivery + ": " + MessageTypes.describe(cause));
        });
    }

    /**
     * Records {@code node}'s current state and returns the first property it breaks, as
     * "property. what happened", or empty when it breaks none.
     */
    Optional<String> violation(Raft node) {
        if (node.state == StateType.LEADER) {
            Long leader = leaderByTerm.putIfAbsent(node.term, node.id);
            if (leader != null && leader != node.id) {
                return Optional.of("election safety (Raft §5.2). nodes " + leader + " and " + node.id
                        + " both became leader of term " + node.term);
            }
        }
        long committed = node.raftLog.committed;
        Long before = committedByNode.put(node.id, committed);
        if (before != null && committed < before) {
            return Optional.of("commit never goes back (Raft §5.3). node " + node.id
                    + "'s commit index went back from " + before + " to " + committed);
        }
        long lastIndex = node.raftLog.lastIndex();
        if (committed > lastIndex) {
            return Optional.of("commit within the log. node " + node.id + " committed index " + committed
                    + " but its last index is " + lastIndex);
        }
        return Optional.empty();
    }

    /** The leader recorded for each term so far: part of what a search must tell states apart by. */
    Map<Long, Long> leadersByTerm() {
        return Collections.unmodifiableMap(leaderByTerm);
    }
}
