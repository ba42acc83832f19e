package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static tinykv.raft.LogAssertions.assertLogEquals;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/** Lab 2AB: log replication (Raft §5.3, §5.4), and the election rules that depend on the log. */
@Points(1)
@Tag("lab2ab")
@DisplayName("Lab 2AB: log replication")
class Raft2ABTest extends RaftTestSupport {

    // ==== Elections that depend on the log ====

    /**
     * A newly elected leader whose log is not the newest overwrites the followers' newer uncommitted
     * entries with its own (Raft §5.3, §5.4.1).
     */
    @Test
    void leaderElectionOverwriteNewerLogs2AB() {
        Consumer<Config.Builder> fiveNodes = config -> config.peers(idsBySize(5));
        // Node 1 won term 1 and gave its entry to node 2 only; node 3 won term 2 (with the votes of
        // nodes 4 and 5) and wrote an entry no one else got.
        RaftNetwork network = newNetworkWithConfig(fiveNodes,
                peer(entsWithConfig(fiveNodes, 1, 1)),
                peer(entsWithConfig(fiveNodes, 2, 1)),
                peer(entsWithConfig(fiveNodes, 3, 2)),
                peer(votedWithConfig(fiveNodes, 4, 3, 2)),
                peer(votedWithConfig(fiveNodes, 5, 3, 2)));
        Raft node1 = network.raft(1);

        // A majority already saw term 2, so node 1 loses but learns of term 2.
        network.send(hup(1));
        assertThat(node1.state).as("node 1's role after campaigning in a term a majority had passed")
                .isEqualTo(StateType.FOLLOWER);
        assertThat(node1.term).as("node 1's term after its failed campaign").isEqualTo(2);

        network.send(hup(1));
        assertThat(node1.state).as("node 1's role after campaigning again").isEqualTo(StateType.LEADER);
        assertThat(node1.term).as("node 1's term after campaigning again").isEqualTo(3);

        // Differs from TinyKV: compares whole entries (index, type, data too), not only count and terms.
        for (long id : network.ids()) {
            LogAssertions.assertEntriesEqual("node " + id + "'s log after node 1 led term 3",
                    List.of(entry(1, 1), entry(2, 3)), network.raft(id).raftLog.allEntries());
        }
    }

    /**
     * Two candidates at once: one wins; the loser, whose log is behind, is refused in its next term
     * and all nodes end as followers of that term (Raft §5.2, §5.4.1).
     */
    @Test
    void duelingCandidates2AB() {
        Raft a = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        Raft b = newTestRaft(2, ids(1, 2, 3), 10, 1, new MemoryStorage());
        Raft c = newTestRaft(3, ids(1, 2, 3), 10, 1, new MemoryStorage());
        RaftNetwork network = newNetwork(peer(a), peer(b), peer(c));
        network.cut(1, 3);

        network.send(hup(1));
        network.send(hup(3));
        assertThat(a.state).as("node 1's role with the votes of nodes 1 and 2").isEqualTo(StateType.LEADER);
        assertThat(c.state).as("node 3's role with its own vote and node 2's refusal")
                .isEqualTo(StateType.CANDIDATE);

        // Node 3 campaigns again in term 2: it disrupts the leader, but its empty log loses every vote.
        network.recover();
        network.send(hup(3));

        RaftLog withNoop = expectedLog(1, entry(1, 1));
        List<Raft> nodes = List.of(a, b, c);
        List<RaftLog> wantLogs = List.of(withNoop, withNoop, expectedLog(0));
        for (int i = 0; i < nodes.size(); i++) {
            Raft node = nodes.get(i);
            assertThat(node.state).as("node %d's role after node 3's second campaign", node.id)
                    .isEqualTo(StateType.FOLLOWER);
            assertThat(node.term).as("node %d's term after node 3's second campaign", node.id).isEqualTo(2);
            assertLogEquals("node " + node.id + "'s log", wantLogs.get(i), node.raftLog);
        }
    }

    /** A candidate that hears from the leader of its own term concedes and follows it (Raft §5.2). */
    @Test
    void candidateConcede2AB() {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh());
        network.isolate(1);
        network.send(hup(1));
        network.send(hup(3));

        network.recover();
        network.send(beat(3));
        // The proposal makes leader 3 send node 1 a MsgAppend; the next heartbeat carries the commit.
        network.send(propose(3, 3, "force follower"));
        network.send(beat(3));

        Raft node1 = network.raft(1);
        assertThat(node1.state).as("candidate 1's role after hearing from leader 3").isEqualTo(StateType.FOLLOWER);
        assertThat(node1.term).as("node 1's term after hearing from leader 3").isEqualTo(1);
        RaftLog want = expectedLog(2, entry(1, 1), entry(2, 1, "force follower"));
        network.forEachRaft(node -> assertLogEquals("node " + node.id + "'s log", want, node.raftLog));
    }

    /** A MsgAppend from a deposed leader of an older term is ignored (Raft §5.1). */
    @Test
    void oldMessages2AB() {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh());
        // Node 1 leads term 1, node 2 term 2, node 1 term 3.
        network.send(hup(1));
        network.send(hup(2));
        network.send(hup(1));

        // Node 2, as the leader of term 2, tries to append an entry.
        network.send(message(MessageType.MsgAppend, 2, 1).setTerm(2).addEntries(entry(3, 2)).build());
        network.send(propose(1, 1, "somedata"));

        RaftLog want = expectedLog(4, entry(1, 1), entry(2, 2), entry(3, 3), entry(4, 3, "somedata"));
        network.forEachRaft(node -> assertLogEquals("node " + node.id + "'s log", want, node.raftLog));
    }

    static Stream<Arguments> requestVoteCases() {
        // The voter's log is (index 1, term 2), (index 2, term 2).
        return Stream.of(
                voteCase(StateType.FOLLOWER, 0, 0, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 0, 1, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 0, 2, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 0, 3, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 1, 0, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 1, 1, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 1, 2, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 1, 3, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 2, 0, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 2, 1, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 2, 2, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 2, 3, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 3, 0, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 3, 1, Raft.NONE, true),
                voteCase(StateType.FOLLOWER, 3, 2, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 3, 3, Raft.NONE, false),
                voteCase(StateType.FOLLOWER, 3, 2, 2, false),
                voteCase(StateType.FOLLOWER, 3, 2, 1, true),
                voteCase(StateType.LEADER, 3, 3, 1, true),
                voteCase(StateType.CANDIDATE, 3, 3, 1, true));
    }

    private static Arguments voteCase(StateType state, long index, long logTerm, long votedFor, boolean reject) {
        String name = String.format("%s that voted for %s; candidate's last entry (index %d, term %d): %s",
                state, votedFor == Raft.NONE ? "no one" : "node " + votedFor, index, logTerm,
                reject ? "reject" : "grant");
        return Arguments.of(name, state, index, logTerm, votedFor, reject);
    }

    /**
     * A node grants its vote only if it has not voted for someone else in this term and the
     * candidate's log is at least as up to date as its own (Raft §5.2, §5.4.1).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestVoteCases")
    void recvMessageType_MsgRequestVote2AB(
            String name, StateType state, long index, long logTerm, long votedFor, boolean wantReject) {
        Raft node = newTestRaft(1, ids(1, 2), 10, 1, new MemoryStorage());
        node.state = state;
        node.vote = votedFor;
        node.raftLog = new RaftLog(newMemoryStorageWithEnts(Entry.getDefaultInstance(), entry(1, 2), entry(2, 2)));
        // Voter and candidate share a term, so that only the logs and the earlier vote decide.
        long term = Math.max(node.raftLog.term(node.raftLog.lastIndex()), logTerm);
        node.term = term;

        node.step(message(MessageType.MsgRequestVote, 2, 1).setTerm(term).setIndex(index).setLogTerm(logTerm).build());

        List<Message> sent = readMessages(node);
        assertThat(sent).as("%s: messages sent in answer to the vote request", name).hasSize(1);
        assertThat(sent.get(0).getMsgType()).as("%s: type of the answer", name)
                .isEqualTo(MessageType.MsgRequestVoteResponse);
        assertThat(sent.get(0).getReject()).as("%s: whether the vote was rejected", name).isEqualTo(wantReject);
    }

    /**
     * Any node that receives a MsgRequestVote or MsgAppend of a newer term becomes a follower of that
     * term; only a MsgAppend tells it who leads (Raft §5.1).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"FOLLOWER, 0", "CANDIDATE, 0", "LEADER, 1"})
    void allServerStepdown2AB(StateType start, long wantLastIndex) {
        long newTerm = 3;
        Raft node = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        switch (start) {
            case FOLLOWER -> node.becomeFollower(1, Raft.NONE);
            case CANDIDATE -> node.becomeCandidate();
            case LEADER -> {
                node.becomeCandidate();
                node.becomeLeader();
            }
        }

        for (MessageType type : List.of(MessageType.MsgRequestVote, MessageType.MsgAppend)) {
            node.step(message(type, 2, 1).setTerm(newTerm).setLogTerm(newTerm).build());

            String what = String.format("%s after a %s from node 2 at term %d", start, type, newTerm);
            assertThat(node.state).as("%s: role", what).isEqualTo(StateType.FOLLOWER);
            assertThat(node.term).as("%s: term", what).isEqualTo(newTerm);
            assertThat(node.raftLog.lastIndex()).as("%s: last index", what).isEqualTo(wantLastIndex);
            assertThat(node.raftLog.allEntries()).as("%s: number of entries", what).hasSize((int) wantLastIndex);
            long wantLead = type == MessageType.MsgAppend ? 2 : Raft.NONE;
            assertThat(node.lead).as("%s: leader", what).isEqualTo(wantLead);
        }
    }

    // ==== Replication ====

    /** A leader's progress for itself follows its own log as it appends proposals (Raft §5.3). */
    @Test
    void progressLeader2AB() {
        Raft node = newTestRaft(1, ids(1, 2), 5, 1, new MemoryStorage());
        node.becomeCandidate();
        node.becomeLeader();

        Message proposal = propose(1, 1, "foo");
        for (int i = 0; i < 5; i++) {
            long last = i + 1;
            assertThat(node.prs.get(node.id)).as("leader 1's progress for itself, its log ending at index %d", last)
                    .isEqualTo(new Progress(last, last + 1));
            assertThatNoException().as("leader 1 stepping proposal #%d", i + 1)
                    .isThrownBy(() -> node.step(proposal));
        }
    }

    static Stream<Arguments> logReplicationCases() {
        return Stream.of(
                Arguments.of("one proposal to leader 1", List.of(propose(1, 1, "somedata")), 2),
                Arguments.of("a proposal to 1, node 2 elected, a proposal to 2",
                        List.of(propose(1, 1, "somedata"), hup(2), propose(1, 2, "somedata")), 4));
    }

    /** Proposals to the leader are replicated to every node, committed and handed to the application (Raft §5.3). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("logReplicationCases")
    void logReplication2AB(String name, List<Message> messages, long wantCommitted) {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh());
        network.send(hup(1));
        messages.forEach(network::send);

        List<String> proposed = messages.stream()
                .filter(m -> m.getMsgType() == MessageType.MsgPropose)
                .map(m -> m.getEntries(0).getData().toStringUtf8())
                .toList();
        for (long id : network.ids()) {
            Raft node = network.raft(id);
            assertThat(node.raftLog.committed).as("%s: node %d's committed index", name, id).isEqualTo(wantCommitted);
            List<String> applied = nextEnts(node, network.storage(id)).stream()
                    .map(Entry::getData)
                    .filter(data -> !data.isEmpty())
                    .map(ByteString::toStringUtf8)
                    .toList();
            // Differs from TinyKV: no data entry beyond the proposals may appear (TinyKV checks a prefix).
            assertThat(applied).as("%s: data of the entries node %d hands to the application", name, id)
                    .containsExactlyElementsOf(proposed);
        }
    }

    /** The only node of a group commits each proposal at once: it alone is a majority (Raft §5.3). */
    @Test
    void singleNodeCommit2AB() {
        RaftNetwork network = newNetwork(fresh());
        network.send(hup(1));
        network.send(propose(1, 1, "some data"));
        network.send(propose(1, 1, "some data"));

        assertThat(network.raft(1).raftLog.committed)
                .as("committed index of the single node after its noop and 2 proposals").isEqualTo(3);
    }

    /**
     * Entries of an older term become committed once a new leader commits the noop entry of its own
     * term, with no new proposal (Raft §5.4.2).
     */
    @Test
    void commitWithoutNewTermEntry2AB() {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh(), fresh(), fresh());
        network.send(hup(1));

        // Leader 1 can reach only node 2: no majority for its proposals.
        network.cut(1, 3);
        network.cut(1, 4);
        network.cut(1, 5);
        network.send(propose(1, 1, "some data"));
        network.send(propose(1, 1, "some data"));
        Raft node1 = network.raft(1);
        assertThat(node1.raftLog.committed).as("leader 1's committed index with 2 of 5 nodes reachable").isEqualTo(1);

        // Node 2 has the proposals, so it can win term 2; its noop commits everything.
        network.recover();
        network.send(hup(2));

        assertThat(node1.raftLog.committed).as("node 1's committed index once node 2 leads term 2").isEqualTo(4);
    }

    /** A heartbeat response from a follower that lags makes the leader send it the missing entries (Raft §5.3). */
    @Test
    void commitWithHeartbeat2AB() {
        RaftNetwork network = newNetwork(fresh(), fresh(), fresh(), fresh(), fresh());
        network.send(hup(1));

        network.isolate(5);
        network.send(propose(1, 1, "some data"));
        network.send(propose(1, 1, "some data"));
        Raft node5 = network.raft(5);
        assertThat(node5.raftLog.committed).as("isolated node 5's committed index").isEqualTo(1);

        network.recover();
        network.send(beat(1));

        assertThat(node5.raftLog.committed).as("node 5's committed index after leader 1's heartbeat").isEqualTo(3);
    }

    static Stream<Arguments> proposalCases() {
        return Stream.of(
                Arguments.of("3 nodes, all up", List.of(fresh(), fresh(), fresh()), true),
                Arguments.of("3 nodes, 1 down", List.of(fresh(), fresh(), blackHole()), true),
                Arguments.of("3 nodes, 2 down", List.of(fresh(), blackHole(), blackHole()), false),
                Arguments.of("4 nodes, 2 down", List.of(fresh(), blackHole(), blackHole(), fresh()), false),
                Arguments.of("5 nodes, 2 down", List.of(fresh(), blackHole(), blackHole(), fresh(), fresh()), true));
    }

    /** A proposal is replicated and committed only when a majority is up to elect a leader and store it (Raft §5.3). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("proposalCases")
    void proposal2AB(String name, List<NetworkPeer> peers, boolean wantCommitted) {
        RaftNetwork network = newNetwork(peers.toArray(NetworkPeer[]::new));

        network.send(hup(1));
        network.send(propose(1, 1, "somedata"));

        RaftLog want = wantCommitted ? expectedLog(2, entry(1, 1), entry(2, 1, "somedata")) : expectedLog(0);
        network.forEachRaft(node -> assertLogEquals(name + ": node " + node.id + "'s log", want, node.raftLog));
        assertThat(network.raft(1).term).as("%s: node 1's term", name).isEqualTo(1);
    }

    static Stream<Arguments> appendEntriesCases() {
        // The follower is at term 2 with the log (index 1, term 1), (index 2, term 2), nothing committed.
        return Stream.of(
                appendCase("prev entry (2, 3) has another term: reject", 3, 3, 2, 3, List.of(), 2, 0, true),
                appendCase("prev entry (3, 3) is missing: reject", 3, 3, 3, 3, List.of(), 2, 0, true),
                appendCase("prev (1, 1) matches, no entries: commit 1", 2, 1, 1, 1, List.of(), 2, 1, false),
                appendCase("prev (0, 0), entry (1, 2) conflicts: log becomes just it", 2, 0, 0, 1,
                        List.of(entry(1, 2)), 1, 1, false),
                appendCase("prev (2, 2), append 3 and 4, commit 3", 2, 2, 2, 3,
                        List.of(entry(3, 2), entry(4, 2)), 4, 3, false),
                appendCase("prev (2, 2), append 3, leader commit 4: commit 3", 2, 2, 2, 4,
                        List.of(entry(3, 2)), 3, 3, false),
                appendCase("prev (1, 1), entry 2 already there, leader commit 4: commit 2", 2, 1, 1, 4,
                        List.of(entry(2, 2)), 2, 2, false),
                appendCase("prev (1, 1), no entries, leader commit 3: commit only 1", 2, 1, 1, 3, List.of(), 2, 1, false),
                appendCase("prev (1, 1), entry 2 already there, leader commit 3: commit 2", 2, 1, 1, 3,
                        List.of(entry(2, 2)), 2, 2, false),
                appendCase("prev (2, 2), no entries, leader commit 3: commit 2", 2, 2, 2, 3, List.of(), 2, 2, false),
                appendCase("prev (2, 2), no entries, leader commit 4: commit 2", 2, 2, 2, 4, List.of(), 2, 2, false));
    }

    private static Arguments appendCase(String name, long term, long logTerm, long index, long commit,
            List<Entry> entries, long wantLastIndex, long wantCommitted, boolean wantReject) {
        Message append = Message.newBuilder()
                .setMsgType(MessageType.MsgAppend)
                .setTerm(term)
                .setLogTerm(logTerm)
                .setIndex(index)
                .setCommit(commit)
                .addAllEntries(entries)
                .build();
        return Arguments.of(name, append, wantLastIndex, wantCommitted, wantReject);
    }

    /**
     * The receiver of a MsgAppend rejects it unless its log has the previous entry; otherwise it drops
     * conflicting entries, appends the new ones, and commits up to min(leader commit, last new entry)
     * (Raft §5.3, Figure 2 "AppendEntries RPC").
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("appendEntriesCases")
    void handleMessageType_MsgAppend2AB(
            String name, Message append, long wantLastIndex, long wantCommitted, boolean wantReject) {
        MemoryStorage storage = new MemoryStorage();
        storage.append(List.of(entry(1, 1), entry(2, 2)));
        Raft node = newTestRaft(1, ids(1), 10, 1, storage);
        node.becomeFollower(2, Raft.NONE);

        node.handleAppendEntries(append);

        assertThat(node.raftLog.lastIndex()).as("%s: last index", name).isEqualTo(wantLastIndex);
        assertThat(node.raftLog.committed).as("%s: committed index", name).isEqualTo(wantCommitted);
        List<Message> sent = readMessages(node);
        assertThat(sent).as("%s: messages sent in answer to the MsgAppend", name).hasSize(1);
        assertThat(sent.get(0).getReject()).as("%s: whether the answer rejects the MsgAppend", name)
                .isEqualTo(wantReject);
    }

    /**
     * An old leader cut off from the group commits nothing, and the new leader's heartbeats alone do
     * not make it commit entries it does not have (Raft §5.3).
     */
    @ParameterizedTest(name = "{0} lost proposals, {1} committed ones")
    @CsvSource({"1, 1", "5, 3", "5, 10"})
    void heartbeatUpdateCommit2AB(int lostProposals, int committedProposals) {
        Raft sm1 = newTestRaft(1, ids(1, 2, 3), 10, 1, new MemoryStorage());
        Raft sm2 = newTestRaft(2, ids(1, 2, 3), 10, 1, new MemoryStorage());
        Raft sm3 = newTestRaft(3, ids(1, 2, 3), 10, 1, new MemoryStorage());
        RaftNetwork network = newNetwork(peer(sm1), peer(sm2), peer(sm3));
        network.send(hup(1));

        network.isolate(1);
        for (int i = 0; i < lostProposals; i++) {
            network.send(propose(1, 1, ""));
        }
        assertThat(sm1.raftLog.committed).as("isolated leader 1's committed index after %d proposals", lostProposals)
                .isLessThanOrEqualTo(1);

        network.send(hup(2));
        for (int i = 0; i < committedProposals; i++) {
            network.send(propose(2, 2, ""));
        }
        long want = 2 + committedProposals; // two noops, one per election, then the proposals
        assertThat(sm2.raftLog.committed).as("leader 2's committed index").isEqualTo(want);
        assertThat(sm3.raftLog.committed).as("follower 3's committed index").isEqualTo(want);

        // Node 1 hears leader 2's heartbeats, but never its entries.
        network.recover();
        network.ignore(MessageType.MsgAppend);
        network.send(beat(2));
        assertThat(sm1.raftLog.committed)
                .as("node 1's committed index after heartbeats from leader 2, whose entries it lacks")
                .isLessThanOrEqualTo(1);
    }

    /** A leader advances a follower's next index past the entries it has just sent it (Raft §5.3). */
    @Test
    void leaderIncreaseNext2AB() {
        MemoryStorage storage = new MemoryStorage();
        storage.append(List.of(entry(1, 1), entry(2, 1), entry(3, 1)));
        Raft leader = newTestRaft(1, ids(1, 2), 10, 1, storage);
        RaftNetwork network = newNetwork(peer(leader), fresh(), fresh());

        network.send(hup(1));
        network.send(propose(1, 1, "somedata"));

        // 3 old entries, the noop, the proposal: node 2 should next get entry 6.
        assertThat(leader.prs.get(2L).next).as("leader 1's next index for node 2").isEqualTo(6);
    }

    // ---- helpers ----

}
