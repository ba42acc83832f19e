package tinykv.raft;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.eraftpb.Entry;

/**
 * The safety properties of Raft (Raft §5.2-5.4, Figure 3) over a whole group, checked by a
 * {@link ScheduledNetwork} after every step of a schedule:
 *
 * <ul>
 *   <li><b>election safety</b>, <b>commit never goes back</b> and <b>commit within the log</b>, node by
 *       node, as {@link RaftInvariants} checks them;
 *   <li><b>term never goes back</b>: a node's term only grows (§5.1);
 *   <li><b>log matching</b> (§5.3): two logs with an entry of the same index and term hold the same
 *       entries up to that index;
 *   <li><b>state machine safety</b> (§5.4.3): no two nodes commit different entries at one index, so no
 *       two apply different ones;
 *   <li><b>leader completeness</b> (§5.4): an entry committed in some term is in the log of every leader
 *       of a later term.
 * </ul>
 *
 * It keeps the history these need: the term and commit index each node had, and every entry seen
 * committed, with the term of the first node seen committing it (the entry was committed in that term
 * or earlier, so every leader of a later term must hold it).
 */
final class ClusterInvariants {
    private final RaftInvariants perNode;
    private final Map<Long, Long> termByNode;
    private final Map<Long, Committed> committed;

    ClusterInvariants() {
        this(new RaftInvariants(), new TreeMap<>(), new TreeMap<>());
    }

    private ClusterInvariants(RaftInvariants perNode, Map<Long, Long> termByNode, Map<Long, Committed> committed) {
        this.perNode = perNode;
        this.termByNode = termByNode;
        this.committed = committed;
    }

    /** A copy with the same history, which goes on independently (for a fork of the network). */
    ClusterInvariants copy() {
        return new ClusterInvariants(perNode.copy(), new TreeMap<>(termByNode), new TreeMap<>(committed));
    }

    /** An entry seen committed, by {@code node} while at {@code term}. */
    record Committed(Entry entry, long node, long term) {}

    /** Records the nodes' current states and returns the first property they break, or empty. */
    Optional<String> violation(Collection<Raft> nodes) {
        for (Raft node : nodes) {
            Optional<String> broken = perNode.violation(node).or(() -> termGoesBack(node));
            if (broken.isPresent()) {
                return broken;
            }
        }
        for (Raft node : nodes) {
            Optional<String> broken = differentCommit(node);
            if (broken.isPresent()) {
                return broken;
            }
        }
        List<Raft> all = List.copyOf(nodes);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Optional<String> broken = logsDiverge(all.get(i), all.get(j));
                if (broken.isPresent()) {
                    return broken;
                }
            }
        }
        for (Raft node : nodes) {
            Optional<String> broken = leaderLacksCommitted(node);
            if (broken.isPresent()) {
                return broken;
            }
        }
        return Optional.empty();
    }

    /** The leaders recorded per term so far. */
    Map<Long, Long> leadersByTerm() {
        return perNode.leadersByTerm();
    }

    /** Every entry seen committed so far, by index. */
    Map<Long, Committed> committedEntries() {
        return java.util.Collections.unmodifiableMap(committed);
    }

    private Optional<String> termGoesBack(Raft node) {
        Long before = termByNode.put(node.id, node.term);
        if (before != null && node.term < before) {
            return Optional.of("term never goes back (Raft §5.1). node " + node.id + "'s term went back from "
                    + before + " to " + node.term);
        }
        return Optional.empty();
    }

    /** State machine safety: the node's committed entries agree with every entry seen committed before. */
    private Optional<String> differentCommit(Raft node) {
        long last = Math.min(node.raftLog.committed, lastIndex(node));
        for (long index = firstIndex(node); index <= last; index++) {
            Entry entry = entryAt(node, index);
            Committed before = committed.putIfAbsent(index, new Committed(entry, node.id, node.term));
            if (before != null && !before.entry().equals(entry)) {
                return Optional.of("state machine safety (Raft §5.4.3). nodes " + before.node() + " and " + node.id
                        + " committed different entries at index " + index + ": node " + before.node() + " "
                        + LogAssertions.describe(before.entry()) + ", node " + node.id + " "
                        + LogAssertions.describe(entry));
            }
        }
        return Optional.empty();
    }

    /** Log matching: find the last index where both logs hold the same term; below it they must agree. */
    private static Optional<String> logsDiverge(Raft a, Raft b) {
        long first = Math.max(firstIndex(a), firstIndex(b));
        for (long index = Math.min(lastIndex(a), lastIndex(b)); index >= first; index--) {
            if (entryAt(a, index).getTerm() != entryAt(b, index).getTerm()) {
                continue;
            }
            for (long below = index; below >= first; below--) {
                Entry ea = entryAt(a, below);
                Entry eb = entryAt(b, below);
                if (!ea.equals(eb)) {
                    return Optional.of("log matching (Raft §5.3). nodes " + a.id + " and " + b.id
                            + " both hold an entry of term " + entryAt(a, index).getTerm() + " at index " + index
                            + ", but differ at index " + below + ": node " + a.id + " " + LogAssertions.describe(ea)
                            + ", node " + b.id + " " + LogAssertions.describe(eb));
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Leader completeness: a leader holds every entry committed in an earlier term than its own. */
    private Optional<String> leaderLacksCommitted(Raft node) {
        if (node.state != StateType.LEADER) {
            return Optional.empty();
        }
        for (Map.Entry<Long, Committed> seen : committed.entrySet()) {
            Committed c = seen.getValue();
            long index = seen.getKey();
            if (c.term() >= node.term) {
                continue;
            }
            boolean holds = index >= firstIndex(node) && index <= lastIndex(node) && entryAt(node, index).equals(c.entry());
            if (!holds) {
                String has = index <= lastIndex(node) && index >= firstIndex(node)
                        ? LogAssertions.describe(entryAt(node, index)) : "nothing";
                return Optional.of("leader completeness (Raft §5.4). node " + node.id + " is leader of term "
                        + node.term + " but lacks " + LogAssertions.describe(c.entry()) + ", which node " + c.node()
                        + " had committed in term " + c.term() + "; at index " + index + " it has " + has);
            }
        }
        return Optional.empty();
    }

    // The harness reads the entries in memory directly: these tests never compact a log.

    private static long firstIndex(Raft node) {
        List<Entry> entries = node.raftLog.entries;
        return entries.isEmpty() ? lastIndex(node) + 1 : entries.get(0).getIndex();
    }

    private static long lastIndex(Raft node) {
        List<Entry> entries = node.raftLog.entries;
        return entries.isEmpty() ? node.raftLog.committed : entries.get(entries.size() - 1).getIndex();
    }

    private static Entry entryAt(Raft node, long index) {
        List<Entry> entries = node.raftLog.entries;
        return entries.get((int) (index - entries.get(0).getIndex()));
    }
}
