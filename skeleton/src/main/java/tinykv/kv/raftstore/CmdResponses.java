package tinykv.kv.raftstore;

import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.RaftResponseHeader;

/** Building command responses (TinyKV's {@code cmd_resp.go}). */
public final class CmdResponses {
    private CmdResponses() {}

    /** A response carrying only {@code error}. */
    public static RaftCmdResponse error(RegionError error) {
        return RaftCmdResponse.newBuilder()
                .setHeader(RaftResponseHeader.newBuilder().setError(error.toProto()))
                .build();
    }

    /** The answer to a proposal whose entry will never apply; {@code term} is the peer's current term. */
    public static RaftCmdResponse staleCommand(long term) {
        return RaftCmdResponse.newBuilder()
                .setHeader(RaftResponseHeader.newBuilder()
                        .setError(new RegionError.StaleCommandError().toProto())
                        .setCurrentTerm(term))
                .build();
    }

    /** A successful response's builder with an empty header, to add responses to. */
    public static RaftCmdResponse.Builder ok() {
        return RaftCmdResponse.newBuilder().setHeader(RaftResponseHeader.getDefaultInstance());
    }
}
