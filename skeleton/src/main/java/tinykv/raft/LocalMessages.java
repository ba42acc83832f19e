package tinykv.raft;

import com.google.protobuf.ByteString;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * The messages a node gives itself. Everything enters {@link Raft} through {@link Raft#step}, local
 * events included, so that one method sees every input. Local messages carry no term.
 */
public final class LocalMessages {
    private LocalMessages() {}

    /** Start an election now. */
    public static Message hup() {
        return Message.newBuilder().setMsgType(MessageType.MsgHup).build();
    }

    /** (Leader) send a heartbeat to every follower now. */
    public static Message beat() {
        return Message.newBuilder().setMsgType(MessageType.MsgBeat).build();
    }

    /** Append one normal entry holding {@code data} to the leader's log. */
    public static Message propose(long from, byte[] data) {
        Entry entry = Entry.newBuilder().setData(ByteString.copyFrom(data)).build();
        return Message.newBuilder().setMsgType(MessageType.MsgPropose).setFrom(from).addEntries(entry).build();
    }

    /** Append one conf-change entry to the leader's log. */
    public static Message proposeConfChange(ConfChange change) {
        Entry entry = Entry.newBuilder()
                .setEntryType(EntryType.EntryConfChange)
                .setData(change.toByteString())
                .build();
        return Message.newBuilder().setMsgType(MessageType.MsgPropose).addEntries(entry).build();
    }

    /** Ask the leader to hand leadership to {@code transferee}; by convention the transferee is in {@code from}. */
    public static Message transferLeader(long transferee) {
        return Message.newBuilder().setMsgType(MessageType.MsgTransferLeader).setFrom(transferee).build();
    }
}
