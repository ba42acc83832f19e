package tinykv.raft;

import tinykv.proto.eraftpb.Message;
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

    /**
     * One line for logs and failure reports: the type, the nodes, and those of the fields Raft reads that are
     * set, for example {@code MsgAppend 3->11 term=8 index=2310 logTerm=8 entries=2 commit=2300}.
     */
    public static String describe(Message m) {
        StringBuilder line = new StringBuilder()
                .append(m.getMsgType()).append(' ').append(m.getFrom()).append("->").append(m.getTo())
                .append(" term=").append(m.getTerm());
        appendIfSet(line, "index", m.getIndex());
        appendIfSet(line, "logTerm", m.getLogTerm());
        appendIfSet(line, "entries", m.getEntriesCount());
        appendIfSet(line, "commit", m.getCommit());
        if (m.hasSnapshot()) {
            appendIfSet(line, "snapshot", m.getSnapshot().getMetadata().getIndex());
        }
        if (m.getReject()) {
            line.append(" reject");
        }
        return line.toString();
    }

    private static void appendIfSet(StringBuilder line, String name, long value) {
        if (value != 0) {
            line.append(' ').append(name).append('=').append(value);
        }
    }
}
