package tinykv.raft;

/** Why {@link Raft#step} or {@link RawNode#step} refused a message. The node's state is unchanged. */
public abstract sealed class RaftException extends RuntimeException {

    private RaftException(String message) {
        super(message);
    }

    /**
     * A proposal was not appended, e.g. because this node is not the leader or a leadership transfer is
     * under way. The proposer may retry elsewhere or later.
     */
    public static final class ProposalDropped extends RaftException {
        public ProposalDropped(String why) {
            super("raft proposal dropped: " + why);
        }
    }

    /** A local message (Hup, Beat, Propose) arrived from the network, where it has no business. */
    public static final class StepLocalMessage extends RaftException {
        public StepLocalMessage(tinykv.proto.eraftpb.MessageType type) {
            super("raft: cannot step a local message from the network: " + type);
        }
    }

    /** A response arrived from a node that is not a member of the group. */
    public static final class StepPeerNotFound extends RaftException {
        public StepPeerNotFound(long from) {
            super("raft: cannot step a response from unknown peer " + from);
        }
    }
}
