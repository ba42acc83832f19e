package tinykv.raft;

import tinykv.proto.eraftpb.MessageType;

/** Facts about message types that more than one class needs. */
public final class MessageTypes {
    private MessageTypes() {}

    /** Hup and Beat are made by a node for itself and must never arrive from the network. */
    public static boolean isLocal(MessageType type) {
        return type == MessageType.MsgHup || type == MessageType.MsgBeat;
    }

    /** Responses only make sense from a member of the group. */
    public static boolean isResponse(MessageType type) {
        return type == MessageType.MsgAppendResponse
                || type == MessageType.MsgRequestVoteResponse
                || type == MessageType.MsgHeartbeatResponse;
    }
}
