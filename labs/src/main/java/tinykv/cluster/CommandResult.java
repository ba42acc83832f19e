package tinykv.cluster;

import com.google.protobuf.TextFormat;
import java.util.Optional;
import tinykv.kv.storage.RegionReader;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Response;

/**
 * The answer to one raft command: the response and, for a {@code Snap}, the region reader it handed back.
 * Whoever receives a result with a reader closes it.
 */
public record CommandResult(RaftCmdResponse response, Optional<RegionReader> snapshot) {

    public boolean hasError() {
        return response.getHeader().hasError();
    }

    /** The single response of a one-request command, checked to be of the expected type. */
    public Response single(tinykv.proto.raft_cmdpb.CmdType expected) {
        if (hasError()) {
            throw new AssertionError("command failed: " + TextFormat.shortDebugString(response.getHeader().getError()));
        }
        if (response.getResponsesCount() != 1) {
            throw new AssertionError("expected 1 response, got " + response.getResponsesCount() + ": "
                    + TextFormat.shortDebugString(response));
        }
        Response only = response.getResponses(0);
        if (only.getCmdType() != expected) {
            throw new AssertionError("expected a " + expected + " response, got " + only.getCmdType() + ": this command's"
                    + " callback was answered with another command's result. Check how a proposal is matched to the"
                    + " entry that answers it: by index and term, and a proposal overwritten by a new leader's entry"
                    + " answered StaleCommand");
        }
        return only;
    }

    /** Closes the reader, if any, when the result is dropped unread. */
    void discard() {
        snapshot.ifPresent(RegionReader::close);
    }
}
