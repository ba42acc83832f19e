package tinykv.raft;

import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfState;

/** Applies a committed membership change to a node, through the node's own addNode/removeNode. */
final class Membership {
    private Membership() {}

    /**
     * @return the membership after the change; a change whose node id is {@link Raft#NONE} changes
     *     nothing and only reports the current membership
     */
    static ConfState apply(Raft raft, ConfChange change) {
        if (change.getNodeId() != Raft.NONE) {
            switch (change.getChangeType()) {
                case AddNode -> raft.addNode(change.getNodeId());
                case RemoveNode -> raft.removeNode(change.getNodeId());
                default -> throw new IllegalArgumentException("unknown conf change type: " + change.getChangeType());
            }
        }
        return ConfState.newBuilder().addAllNodes(raft.prs.keySet().stream().sorted().toList()).build();
    }
}
