package tinykv.cluster;

import java.time.Duration;
import tinykv.kv.raftstore.CommandText;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.runtime.Log;

/**
 * The debug log's lines on one command a client sends to one store, in the raftstore's words
 * ({@link CommandText}): {@code client 0: Put "k1" to store 1 region 1}, then the same with {@code -> ok Put},
 * {@code -> error NotLeader leader=3 store=3} or {@code -> no answer within 1000 ms}. Below the debug level
 * nothing is built.
 */
final class CommandLog {
    private final Log log;
    private final String owner;
    private final RaftCmdRequest request;

    CommandLog(Log log, String owner, RaftCmdRequest request) {
        this.log = log;
        this.owner = owner;
        this.request = request;
    }

    private boolean on() {
        return log.isEnabled(Log.Level.DEBUG);
    }

    private String command() {
        return owner + ": " + CommandText.request(request) + " to store " + request.getHeader().getPeer().getStoreId()
                + " region " + request.getHeader().getRegionId();
    }

    void sent() {
        if (on()) {
            log.debug("%s", command());
        }
    }

    void answered(RaftCmdResponse response) {
        if (on()) {
            log.debug("%s -> %s", command(), CommandText.response(response));
        }
    }

    /** An answer that came too late (after the timeout, or from a store that has restarted since): ignored. */
    void dropped(RaftCmdResponse response) {
        if (on()) {
            log.debug("%s -> %s, too late: ignored", command(), CommandText.response(response));
        }
    }

    void timedOut(Duration timeout) {
        if (on()) {
            log.debug("%s -> no answer within %d ms", command(), timeout.toMillis());
        }
    }
}
