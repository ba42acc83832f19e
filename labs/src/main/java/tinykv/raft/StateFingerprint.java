package tinykv.raft;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Message;

/**
 * A 64-bit fingerprint of a state of a {@link ScheduledNetwork}, so that a search visits each state once
 * however many schedules lead to it (model checkers such as TLC do the same). It covers:
 *
 * <ul>
 *   <li>every node's Raft state as the tests see it: the package-private fields of {@link Raft} and
 *       {@link RaftLog} ({@code term}, {@code vote}, {@code state}, {@code lead}, {@code votes},
 *       {@code prs}, the log and its indexes, the timers, {@code msgs});
 *   <li>the messages in flight, as a multiset: their order does not matter, since any may go next;
 *   <li>the history the invariants keep (leaders per term, entries seen committed), and whatever the
 *       caller adds (the budgets a search has left).
 * </ul>
 *
 * Private fields of a student's {@code Raft} are not covered: two states that differ only there look
 * the same, and a search explores one of them. That may hide a bug, never invent one, since every
 * schedule a search reports was really run. Two different states share a fingerprint with a chance of
 * about 2^-64 per pair, negligible for the few hundred thousand states a test explores.
 */
final class StateFingerprint {
    private long hash = 0x243F6A8885A308D3L;

    StateFingerprint add(long value) {
        hash = mix(hash ^ mix(value + 0x9E3779B97F4A7C15L));
        return this;
    }

    StateFingerprint add(boolean value) {
        return add(value ? 1 : 0);
    }

    long value() {
        return hash;
    }

    /** The fingerprint of a network state, with {@code extra} values (a search's remaining budgets). */
    static long of(Collection<Raft> nodes, List<Message> inFlight, ClusterInvariants history, long... extra) {
        StateFingerprint f = new StateFingerprint();
        for (Raft node : nodes) {
            f.addNode(node);
        }
        long[] messages = inFlight.stream().mapToLong(StateFingerprint::ofMessage).sorted().toArray();
        f.add(messages.length);
        Arrays.stream(messages).forEach(f::add);
        f.add(history.leadersByTerm().size());
        history.leadersByTerm().forEach((term, leader) -> f.add(term).add(leader));
        f.add(history.committedEntries().size());
        history.committedEntries().forEach((index, seen) -> f.add(index).add(seen.term()));
        f.add(extra.length);
        Arrays.stream(extra).forEach(f::add);
        return f.value();
    }

    private void addNode(Raft node) {
        add(node.id).add(node.term).add(node.vote).add(node.state.ordinal()).add(node.lead);
        add(node.votes.size());
        node.votes.forEach((id, granted) -> add(id).add(granted));
        add(node.prs.size());
        for (Map.Entry<Long, Progress> progress : node.prs.entrySet()) {
            add(progress.getKey()).add(progress.getValue().match).add(progress.getValue().next);
        }
        RaftLog log = node.raftLog;
        add(log.committed).add(log.applied).add(log.stabled).add(log.pendingSnapshot != null);
        add(log.entries.size());
        log.entries.forEach(this::addEntry);
        add(node.electionElapsed).add(node.heartbeatElapsed).add(node.leadTransferee).add(node.pendingConfIndex);
        add(node.msgs.size());
        node.msgs.forEach(m -> add(ofMessage(m)));
    }

    private static long ofMessage(Message m) {
        StateFingerprint f = new StateFingerprint();
        f.add(m.getMsgTypeValue()).add(m.getFrom()).add(m.getTo()).add(m.getTerm()).add(m.getLogTerm())
                .add(m.getIndex()).add(m.getCommit()).add(m.getReject()).add(m.hasSnapshot());
        if (m.hasSnapshot()) {
            f.add(m.getSnapshot().getMetadata().getIndex()).add(m.getSnapshot().getMetadata().getTerm());
        }
        f.add(m.getEntriesCount());
        m.getEntriesList().forEach(f::addEntry);
        return f.value();
    }

    private void addEntry(Entry entry) {
        add(entry.getIndex()).add(entry.getTerm()).add(entry.getEntryTypeValue());
        byte[] data = entry.getData().toByteArray();
        add(data.length);
        for (byte b : data) {
            add(b);
        }
    }

    /** A bijective 64-bit mixer (Stafford's variant 13, as in SplitMix64). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
