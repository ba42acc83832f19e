package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static tinykv.raft.LogAssertions.assertEntriesEqual;
import static tinykv.raft.LogAssertions.assertLogEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * Log replication and the election restriction, one rule of the Raft paper (§5.3, §5.4) per test: how a
 * leader replicates and commits entries, how a follower checks and appends them, and which logs may win
 * a vote. Each test sets up a node, steps it, then checks its log and the messages it wants to send.
 */
@Points(1)
@Tag("lab2ab")
@DisplayName("Raft paper: log replication (2AB)")
class RaftPaper2ABTest extends RaftTestSupport {

    // ---- The leader (§5.3) ----

    /**
     * A leader appends a proposal to its log and sends it to every follower with the preceding entry's index and term
     * (Raft §5.3).
     */
    @Test
    void leaderStartReplication2AB() {
        MemoryStorage s = new MemoryStorage();
        Raft r = settledLeader(s, ids(1, 2, 3));
        long li = r.raftLog.lastIndex();

        r.step(propose(1, 1, "some data"));

        assertThat(r.raftLog.lastIndex()).as("last index of leader 1 after one proposal").isEqualTo(li + 1);
        assertThat(r.raftLog.committed)
                .as("commit index of leader 1 before any follower acknowledged the proposal")
                .isEqualTo(li);
        Entry proposed = entry(li + 1, 1, "some data");
        assertThat(sortedByReceiver(readMessages(r)))
                .as("messages of leader 1 (term 1) after a proposal at index %d", li + 1)
                .containsExactly(
                        append(1, 2, li, proposed).setCommit(li).build(),
                        append(1, 3, li, proposed).setCommit(li).build());
        assertEntriesEqual("unstable entries of leader 1 after the proposal", List.of(proposed),
                r.raftLog.unstableEntries());
    }

    /**
     * Once a majority stores an entry the leader commits it, hands it to apply, and tells the followers (Raft §5.3).
     */
    @Test
    void leaderCommitEntry2AB() {
        MemoryStorage s = new MemoryStorage();
        Raft r = settledLeader(s, ids(1, 2, 3));
        long li = r.raftLog.lastIndex();
        r.step(propose(1, 1, "some data"));

        for (Message m : readMessages(r)) {
            r.step(acceptAndReply(m));
        }

        assertThat(r.raftLog.committed)
                .as("commit index of leader 1 after both followers stored entry %d", li + 1)
                .isEqualTo(li + 1);
        assertEntriesEqual("entries leader 1 has to apply (nextEnts)", List.of(entry(li + 1, 1, "some data")),
                r.raftLog.nextEnts());
        // Differs from TinyKV: Go checks each message in a loop, which passes when there is none; here leader 1
        // must tell both followers the new commit index.
        List<Message> msgs = sortedByReceiver(readMessages(r));
        assertThat(msgs)
                .as("receivers of leader 1's messages after it committed entry %d", li + 1)
                .extracting(Message::getTo)
                .containsExactly(2L, 3L);
        for (Message m : msgs) {
            assertThat(m.getMsgType())
                    .as("type of leader 1's message to %d", m.getTo())
                    .isEqualTo(MessageType.MsgAppend);
            assertThat(m.getCommit()).as("commit index in leader 1's MsgAppend to %d", m.getTo()).isEqualTo(li + 1);
        }
    }

    /** A leader commits an entry once a majority of the group, itself included, stores it (Raft §5.3). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("acknowledgements")
    void leaderAcknowledgeCommit2AB(String name, int size, Set<Long> acceptors, boolean expectCommit) {
        MemoryStorage s = new MemoryStorage();
        Raft r = settledLeader(s, idsBySize(size));
        long li = r.raftLog.lastIndex();
        r.step(propose(1, 1, "some data"));

        for (Message m : readMessages(r)) {
            if (acceptors.contains(m.getTo())) {
                r.step(acceptAndReply(m));
            }
        }

        assertThat(r.raftLog.committed > li)
                .as("whether leader 1 committed entry %d (%s; commit index %d)", li + 1, name, r.raftLog.committed)
                .isEqualTo(expectCommit);
    }

    private static Stream<Arguments> acknowledgements() {
        return Stream.of(
                arguments("1 node, no acceptor", 1, Set.of(), true),
                arguments("3 nodes, no acceptor", 3, Set.of(), false),
                arguments("3 nodes, accepted by 2", 3, Set.of(2L), true),
                arguments("3 nodes, accepted by 2, 3", 3, Set.of(2L, 3L), true),
                arguments("5 nodes, no acceptor", 5, Set.of(), false),
                arguments("5 nodes, accepted by 2", 5, Set.of(2L), false),
                arguments("5 nodes, accepted by 2, 3", 5, Set.of(2L, 3L), true),
                arguments("5 nodes, accepted by 2, 3, 4", 5, Set.of(2L, 3L, 4L), true),
                arguments("5 nodes, accepted by 2, 3, 4, 5", 5, Set.of(2L, 3L, 4L, 5L), true));
    }

    /**
     * Committing an entry commits every entry before it, those of earlier leaders too, for applying in order (Raft
     * §5.3).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("earlierLogs")
    void leaderCommitPrecedingEntries2AB(String name, List<Entry> earlier) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(earlier);
        Raft r = newTestRaft(1, ids(1, 2, 3), 10, 1, storage);
        r.term = 2;
        r.becomeCandidate();
        r.becomeLeader();
        r.step(propose(1, 1, "some data"));

        for (Message m : readMessages(r)) {
            r.step(acceptAndReply(m));
        }

        long li = earlier.size();
        List<Entry> expected = new ArrayList<>(earlier);
        expected.add(entry(li + 1, 3));
        expected.add(entry(li + 2, 3, "some data"));
        assertEntriesEqual("entries leader 1 (term 3) has to apply, log before: " + name, expected,
                r.raftLog.nextEnts());
    }

    private static Stream<Arguments> earlierLogs() {
        return Stream.of(
                arguments("empty", logOfTerms()),
                arguments("one entry of term 2", logOfTerms(2)),
                arguments("entries of terms 1, 2", logOfTerms(1, 2)),
                arguments("one entry of term 1", logOfTerms(1)));
    }

    // ---- The follower (§5.3) ----

    /**
     * A follower that learns an entry is committed hands it, and those before it, to apply in log order (Raft §5.3).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("committedAppends")
    void followerCommitEntry2AB(String name, List<Entry> entries, long commit) {
        Raft r = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        r.becomeFollower(1, 2);

        r.step(message(MessageType.MsgAppend, 2, 1).setTerm(1).addAllEntries(entries).setCommit(commit).build());

        assertThat(r.raftLog.committed).as("commit index of follower 1 (%s)", name).isEqualTo(commit);
        assertEntriesEqual("entries follower 1 has to apply (" + name + ")", entries.subList(0, (int) commit),
                r.raftLog.nextEnts());
    }

    private static Stream<Arguments> committedAppends() {
        return Stream.of(
                arguments("1 entry, commit 1", List.of(entry(1, 1, "some data")), 1L),
                arguments("2 entries, commit 2", List.of(entry(1, 1, "some data"), entry(2, 1, "some data2")), 2L),
                arguments("2 entries, data swapped, commit 2",
                        List.of(entry(1, 1, "some data2"), entry(2, 1, "some data")), 2L),
                arguments("2 entries, commit 1", List.of(entry(1, 1, "some data"), entry(2, 1, "some data2")), 1L));
    }

    /**
     * A follower accepts a MsgAppend only if its log holds an entry at the preceding index with the preceding term
     * (Raft §5.3).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyChecks")
    void followerCheckMessageType_MsgAppend2AB(String name, long prevTerm, long prevIndex, boolean expectReject) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(logOfTerms(1, 2));
        Raft r = newTestRaft(1, ids(1, 2, 3), 10, 1, storage);
        r.raftLog.committed = 1;
        r.becomeFollower(2, 2);
        readMessages(r);

        r.step(message(MessageType.MsgAppend, 2, 1).setTerm(2).setLogTerm(prevTerm).setIndex(prevIndex).build());

        String what = "answer of follower 1 (log terms [1, 2], committed 1) to a MsgAppend with " + name;
        List<Message> msgs = readMessages(r);
        assertThat(msgs).as("messages of follower 1 after a MsgAppend with %s", name).hasSize(1);
        assertThat(msgs.get(0).getTerm()).as("term in the %s", what).isEqualTo(2);
        assertThat(msgs.get(0).getReject()).as("reject flag in the %s", what).isEqualTo(expectReject);
    }

    private static Stream<Arguments> consistencyChecks() {
        return Stream.of(
                // Matches a committed entry.
                arguments("prev index 0, term 0 (empty prefix)", 0L, 0L, false),
                arguments("prev index 1, term 1", 1L, 1L, false),
                // Matches an uncommitted entry.
                arguments("prev index 2, term 2", 2L, 2L, false),
                // Entry 2 has another term.
                arguments("prev index 2, term 1", 1L, 2L, true),
                // There is no entry 3.
                arguments("prev index 3, term 3", 3L, 3L, true));
    }

    /**
     * A follower drops a conflicting entry and all after it, appends the new ones, and keeps them unstable until
     * persisted (Raft §5.3).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("appends")
    void followerAppendEntries2AB(String name, long leaderTerm, long prevIndex, long prevTerm, List<Entry> entries,
            List<Entry> expectedLog, List<Entry> expectedUnstable) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(logOfTerms(1, 2));
        Raft r = newTestRaft(1, ids(1, 2, 3), 10, 1, storage);
        r.becomeFollower(2, 2);

        r.step(message(MessageType.MsgAppend, 2, 1)
                .setTerm(leaderTerm)
                .setLogTerm(prevTerm)
                .setIndex(prevIndex)
                .addAllEntries(entries)
                .build());

        assertEntriesEqual("log of follower 1 (terms [1, 2] stable) after a MsgAppend: " + name, expectedLog,
                r.raftLog.allEntries());
        assertEntriesEqual("unstable entries of follower 1 after a MsgAppend: " + name, expectedUnstable,
                r.raftLog.unstableEntries());
    }

    private static Stream<Arguments> appends() {
        return Stream.of(
                arguments("term 3, after entry 2: append entry 3 of term 3", 3L, 2L, 2L, List.of(entry(3, 3)),
                        logOfTerms(1, 2, 3), List.of(entry(3, 3))),
                arguments("term 4, after entry 1: entry 2 of term 3 conflicts", 4L, 1L, 1L,
                        List.of(entry(2, 3), entry(3, 4)),
                        logOfTerms(1, 3, 4), List.of(entry(2, 3), entry(3, 4))),
                arguments("term 2, from the start: entry 1 is already there", 2L, 0L, 0L, List.of(entry(1, 1)),
                        logOfTerms(1, 2), List.of()),
                arguments("term 3, from the start: entry 1 of term 3 conflicts", 3L, 0L, 0L, List.of(entry(1, 3)),
                        logOfTerms(3), List.of(entry(1, 3))));
    }

    /**
     * An elected leader brings each follower's log of figure 7, short or divergent, to match its own (Raft §5.3,
     * figure 7).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("figure7")
    void leaderSyncFollowerLog2AB(String name, List<Entry> followerLog) {
        long term = 8;
        MemoryStorage leadStorage = new MemoryStorage();
        leadStorage.append(logOfTerms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6));
        Raft lead = newTestRaft(1, ids(1, 2, 3), 10, 1, leadStorage);
        lead.term = term;
        lead.raftLog.committed = lead.raftLog.lastIndex();
        MemoryStorage followerStorage = new MemoryStorage();
        followerStorage.append(followerLog);
        Raft follower = newTestRaft(2, ids(1, 2, 3), 10, 1, followerStorage);
        follower.term = term - 1;
        // Three nodes: node 2's log may be more up to date than node 1's, so node 1 wins with node 3's vote.
        RaftNetwork n = newNetwork(peer(lead), peer(follower), blackHole());

        n.send(hup(1));
        n.send(message(MessageType.MsgRequestVoteResponse, 3, 1).setTerm(term + 1).build());
        n.send(emptyProposal(1));

        assertThat(lead.state).as("role of node 1 after node 3 granted its vote (setup)").isEqualTo(StateType.LEADER);
        assertLogEquals("follower 2's log " + name + " (left: leader 1's log)", lead.raftLog, follower.raftLog);
    }

    private static Stream<Arguments> figure7() {
        return Stream.of(
                arguments("(a) lacks the last entry", logOfTerms(1, 1, 1, 4, 4, 5, 5, 6, 6)),
                arguments("(b) lacks entries 5-10", logOfTerms(1, 1, 1, 4)),
                arguments("(c) has an extra entry of term 6", logOfTerms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6)),
                arguments("(d) has extra entries of term 7", logOfTerms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7)),
                arguments("(e) diverges at 6 with term 4", logOfTerms(1, 1, 1, 4, 4, 4, 4)),
                arguments("(f) diverges at 4 with terms 2, 3", logOfTerms(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3)));
    }

    // ---- Elections and logs (§5.4) ----

    /**
     * A candidate's RequestVote carries the index and term of its last entry and goes to every other node (Raft
     * §5.4.1).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidateLogs")
    void voteRequest2AB(String name, List<Entry> entries, long expectedTerm) {
        Raft r = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        r.step(message(MessageType.MsgAppend, 2, 1).setTerm(expectedTerm - 1).addAllEntries(entries).build());
        readMessages(r);

        // Differs from TinyKV: fails after a bounded number of ticks instead of looping forever.
        tickUntil(r, () -> r.state == StateType.CANDIDATE, 100, "its election timeout to make it a candidate");

        Entry last = entries.get(entries.size() - 1);
        assertThat(sortedByReceiver(readMessages(r)))
                .as("messages of candidate 1 whose log (%s) ends at index %d, term %d", name, last.getIndex(),
                        last.getTerm())
                .containsExactly(
                        message(MessageType.MsgRequestVote, 1, 2).setTerm(expectedTerm)
                                .setIndex(last.getIndex()).setLogTerm(last.getTerm()).build(),
                        message(MessageType.MsgRequestVote, 1, 3).setTerm(expectedTerm)
                                .setIndex(last.getIndex()).setLogTerm(last.getTerm()).build());
    }

    private static Stream<Arguments> candidateLogs() {
        return Stream.of(
                arguments("terms [1], campaign in term 2", logOfTerms(1), 2L),
                arguments("terms [1, 2], campaign in term 3", logOfTerms(1, 2), 3L));
    }

    /** A node refuses its vote to a candidate whose log is less up to date than its own (Raft §5.4.1). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("voterLogs")
    void voter2AB(String name, List<Entry> voterLog, long candidateLastTerm, long candidateLastIndex,
            boolean expectReject) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(voterLog);
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, storage);

        r.step(message(MessageType.MsgRequestVote, 2, 1).setTerm(3).setLogTerm(candidateLastTerm)
                .setIndex(candidateLastIndex).build());

        List<Message> msgs = readMessages(r);
        assertThat(msgs).as("messages of node 1 after a vote request (%s)", name).hasSize(1);
        assertThat(msgs.get(0).getMsgType()).as("type of node 1's answer (%s)", name)
                .isEqualTo(MessageType.MsgRequestVoteResponse);
        assertThat(msgs.get(0).getReject()).as("whether node 1 refuses its vote (%s)", name).isEqualTo(expectReject);
    }

    private static Stream<Arguments> voterLogs() {
        return Stream.of(
                // Same last term: the longer log is more up to date.
                arguments("same last term 1, same length 1", logOfTerms(1), 1L, 1L, false),
                arguments("same last term 1, candidate longer", logOfTerms(1), 1L, 2L, false),
                arguments("same last term 1, voter longer", logOfTerms(1, 1), 1L, 1L, true),
                // The candidate's last term is higher: it is more up to date whatever the lengths.
                arguments("candidate last term 2 > 1, same length", logOfTerms(1), 2L, 1L, false),
                arguments("candidate last term 2 > 1, candidate longer", logOfTerms(1), 2L, 2L, false),
                arguments("candidate last term 2 > 1, voter longer", logOfTerms(1, 1), 2L, 1L, false),
                // The voter's last term is higher: it refuses whatever the lengths.
                arguments("voter last term 2 > 1, same length", logOfTerms(2), 1L, 1L, true),
                arguments("voter last term 2 > 1, candidate longer", logOfTerms(2), 1L, 2L, true),
                arguments("voter last term 1 (terms [2, 1]), voter longer", logOfTerms(2, 1), 1L, 1L, true));
    }

    /**
     * A leader commits by counting replicas only entries of its own term; older ones get committed with them (Raft
     * §5.4.2).
     */
    @ParameterizedTest(name = "follower acknowledges up to index {0}")
    @MethodSource("acknowledgedIndexes")
    void leaderOnlyCommitsLogFromCurrentTerm2AB(long acknowledged, long expectedCommit) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(logOfTerms(1, 2));
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, storage);
        r.term = 2;
        r.becomeCandidate();
        r.becomeLeader(); // term 3; its noop entry is at index 3
        readMessages(r);
        r.step(emptyProposal(1));

        r.step(message(MessageType.MsgAppendResponse, 2, 1).setTerm(r.term).setIndex(acknowledged).build());

        assertThat(r.raftLog.committed)
                .as("commit index of leader 1 (term 3, log terms [1, 2, 3, 3]) once node 2 stored up to index %d",
                        acknowledged)
                .isEqualTo(expectedCommit);
    }

    private static Stream<Arguments> acknowledgedIndexes() {
        return Stream.of(
                // Entries of earlier terms are not committed by counting replicas.
                arguments(1L, 0L),
                arguments(2L, 0L),
                // The noop entry of the current term is.
                arguments(3L, 3L));
    }

    // ---- Helpers ----

    /** The log whose entry i (from 1) has term {@code terms[i - 1]}. */
    private static List<Entry> logOfTerms(long... terms) {
        List<Entry> log = new ArrayList<>(terms.length);
        for (int i = 0; i < terms.length; i++) {
            log.add(entry(i + 1, terms[i]));
        }
        return log;
    }

    /** A MsgAppend of term 1 from {@code from} to {@code to}, after entry {@code prevIndex} of term 1. */
    private static Message.Builder append(long from, long to, long prevIndex, Entry entry) {
        return message(MessageType.MsgAppend, from, to).setTerm(1).setIndex(prevIndex).setLogTerm(1).addEntries(entry);
    }

    /** Node 1 as the leader of term 1 over {@code peers}, its noop entry committed, applied and stored in {@code s}. */
    private Raft settledLeader(MemoryStorage s, List<Long> peers) {
        Raft r = newTestRaft(1, peers, 10, 1, s);
        r.becomeCandidate();
        r.becomeLeader();
        commitNoopEntry(r, s);
        return r;
    }

    /**
     * Makes leader {@code r}'s noop entry committed, applied and persisted in {@code s}, as if both the
     * followers and the application had done their part, so that a test starts from a settled log.
     */
    private static void commitNoopEntry(Raft r, MemoryStorage s) {
        assertThat(r.state).as("role of node %d before commitNoopEntry (setup)", r.id).isEqualTo(StateType.LEADER);
        for (long id : List.copyOf(r.prs.keySet())) {
            if (id != r.id) {
                r.sendAppend(id);
            }
        }
        for (Message m : readMessages(r)) {
            assertThat(m.getMsgType() == MessageType.MsgAppend && m.getEntriesCount() == 1
                            && m.getEntries(0).getData().isEmpty())
                    .as("whether this message of a new leader is a MsgAppend of its noop entry only: %s",
                            MessageTypes.describe(m))
                    .isTrue();
            r.step(acceptAndReply(m));
        }
        readMessages(r); // the new commit index sent to the followers is not under test
        s.append(r.raftLog.unstableEntries());
        r.raftLog.applied = r.raftLog.committed;
        r.raftLog.stabled = r.raftLog.lastIndex();
    }

    /** The answer of a follower that accepted the MsgAppend {@code m}: it now stores up to m's last entry. */
    private static Message acceptAndReply(Message m) {
        assertThat(m.getMsgType())
                .as("type of the message to accept: %s", MessageTypes.describe(m))
                .isEqualTo(MessageType.MsgAppend);
        return message(MessageType.MsgAppendResponse, m.getTo(), m.getFrom())
                .setTerm(m.getTerm())
                .setIndex(m.getIndex() + m.getEntriesCount())
                .build();
    }
}
