package tinykv.kv.raftstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.AdminResponse;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.CompactLogRequest;
import tinykv.proto.raft_cmdpb.GetRequest;
import tinykv.proto.raft_cmdpb.GetResponse;
import tinykv.proto.raft_cmdpb.PutRequest;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_cmdpb.Response;

/** The debug log's one-line forms of commands, answers and entries. */
@DisplayName("CommandText writes commands, answers and entries in one short line")
class CommandTextTest {

    private static RaftCmdRequest put(String key) {
        return RaftCmdRequest.newBuilder().addRequests(Request.newBuilder().setCmdType(CmdType.Put)
                .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)))).build();
    }

    private static RaftCmdRequest getAndSnap(String key) {
        return RaftCmdRequest.newBuilder()
                .addRequests(Request.newBuilder().setCmdType(CmdType.Get)
                        .setGet(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))))
                .addRequests(Request.newBuilder().setCmdType(CmdType.Snap)).build();
    }

    private static RaftCmdResponse okOf(CmdType type) {
        return CmdResponses.ok().addResponses(Response.newBuilder().setCmdType(type)).build();
    }

    @Test
    @DisplayName("commands: kind and key, several joined, admin commands with their numbers")
    void commands() {
        assertThat(CommandText.request(put("k1"))).isEqualTo("Put \"k1\"");
        assertThat(CommandText.request(getAndSnap("a"))).isEqualTo("Get \"a\", Snap");
        RaftCmdRequest compact = RaftCmdRequest.newBuilder().setAdminRequest(AdminRequest.newBuilder()
                .setCmdType(AdminCmdType.CompactLog).setCompactLog(CompactLogRequest.newBuilder().setCompactIndex(12)))
                .build();
        assertThat(CommandText.request(compact)).isEqualTo("CompactLog index=12");
    }

    @Test
    @DisplayName("keys: cut after 24 characters, and in hex when not printable")
    void keys() {
        assertThat(CommandText.key(ByteString.copyFromUtf8("x".repeat(30)))).isEqualTo("\"" + "x".repeat(24) + "...\"");
        assertThat(CommandText.key(ByteString.copyFrom(new byte[] {'z', 0, 1}))).isEqualTo("0x7a0001");
    }

    @Test
    @DisplayName("answers: ok with the kinds, or the error with the hint a client acts on")
    void answers() {
        assertThat(CommandText.response(CmdResponses.ok().addResponses(Response.newBuilder().setCmdType(CmdType.Get)
                .setGet(GetResponse.newBuilder().setValue(ByteString.copyFromUtf8("v1")))).build()))
                .isEqualTo("ok Get value=\"v1\"");
        Peer leader = Peer.newBuilder().setId(3).setStoreId(3).build();
        assertThat(CommandText.response(CmdResponses.error(new RegionError.NotLeaderError(1, Optional.of(leader)))))
                .isEqualTo("error NotLeader leader=3 store=3");
        assertThat(CommandText.response(CmdResponses.error(new RegionError.NotLeaderError(1, Optional.empty()))))
                .isEqualTo("error NotLeader (no leader known)");
        Region region = Region.newBuilder().setId(1)
                .setRegionEpoch(RegionEpoch.newBuilder().setVersion(2).setConfVer(1)).build();
        assertThat(CommandText.response(CmdResponses.error(new RegionError.EpochNotMatchError("stale", List.of(region)))))
                .isEqualTo("error EpochNotMatch region=1 epoch=2/1");
        assertThat(CommandText.response(CmdResponses.staleCommand(7))).isEqualTo("error StaleCommand");
        assertThat(CommandText.response(CmdResponses.error(new RegionError.OtherError("proposal dropped"))))
                .isEqualTo("error \"proposal dropped\"");
    }

    @Test
    @DisplayName("an answer matches its command when its kinds are the command's; an error matches any command")
    void answerShapes() {
        assertThat(CommandText.answers(okOf(CmdType.Put), put("k"))).isTrue();
        assertThat(CommandText.answers(okOf(CmdType.Put), getAndSnap("k"))).isFalse();
        assertThat(CommandText.answers(CmdResponses.staleCommand(2), getAndSnap("k"))).isTrue();
        RaftCmdResponse compacted = CmdResponses.ok()
                .setAdminResponse(AdminResponse.newBuilder().setCmdType(AdminCmdType.CompactLog)).build();
        assertThat(CommandText.answers(compacted, put("k"))).isFalse();
    }

    @Test
    @DisplayName("entries: the command they hold, noop for a new leader's empty entry, a membership change")
    void entries() {
        assertThat(CommandText.entry(Entry.newBuilder().setIndex(6).setTerm(6).build())).isEqualTo("noop");
        assertThat(CommandText.entry(Entry.newBuilder().setData(put("k1").toByteString()).build()))
                .isEqualTo("Put \"k1\"");
        Entry change = Entry.newBuilder().setEntryType(EntryType.EntryConfChange).setData(ConfChange.newBuilder()
                .setChangeType(ConfChangeType.AddNode).setNodeId(5).build().toByteString()).build();
        assertThat(CommandText.entry(change)).isEqualTo("ConfChange AddNode node=5");
    }
}
