package tinykv.cluster;

import java.util.HashMap;
import java.util.Map;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.sim.Simulator;

/**
 * {@link #NO_TERM_CHURN}, for runs with no fault injected (basic and concurrent workloads): once a region has
 * a leader, no peer of it ever speaks in a later term. A follower whose election timer the leader's messages
 * do not reset campaigns anyway, and leadership churns without losing data; client checks cannot see it.
 *
 * <p>Watched on the wire, which is where a new term shows: the first append or heartbeat of a region names its
 * first leader's term, and every message after it must carry that term or an earlier one.
 */
final class TermStability {
    static final String NO_TERM_CHURN = "with no fault injected, a region's term never moves after its first leader";

    private final Simulator sim;
    /** Region to the term of its first leader, once one has sent an append or a heartbeat. */
    private final Map<Long, Long> leaderTerms = new HashMap<>();

    TermStability(Simulator sim) {
        this.sim = sim;
    }

    /** Hears every message a store sends. */
    void sent(long storeId, RaftMessage message) {
        long term = message.getMessage().getTerm();
        MessageType type = message.getMessage().getMsgType();
        Long leaderTerm = leaderTerms.get(message.getRegionId());
        if (leaderTerm == null) {
            if (type == MessageType.MsgAppend || type == MessageType.MsgHeartbeat) {
                leaderTerms.put(message.getRegionId(), term);
            }
            return;
        }
        if (term > leaderTerm) {
            throw new AssertionError(NO_TERM_CHURN + ": region " + message.getRegionId() + " elected its first "
                    + "leader in term " + leaderTerm + ", then peer " + message.getFromPeer().getId() + " on store "
                    + storeId + " sent " + type + " in term " + term + " (does a follower reset its election timer "
                    + "when it hears from the leader?) (virtual time " + sim.now() / 1000.0 + "s, seed " + sim.seed()
                    + ")");
        }
    }
}
