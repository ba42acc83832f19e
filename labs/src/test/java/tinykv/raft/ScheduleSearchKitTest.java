package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tinykv.raft.ScheduleScenarios.chaos;
import static tinykv.raft.ScheduleScenarios.elections;
import static tinykv.raft.ScheduleScenarios.replication;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * The schedule harness bites: the search tests of 2AA and 2AB, run on nodes with one classic bug
 * each (fixtures below, subclasses of the reference), find a short schedule that breaks Raft; the
 * schedule replays to the same failure (the reference passes those searches: they are staged tests). Also the harness's own parts:
 * the invariants, the fingerprints and the checks on a schedule. Needs working nodes.
 */
@Tag("kit")
@DisplayName("Kit: the schedule network and its search find real bugs")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
class ScheduleSearchKitTest extends RaftTestSupport {

    // ==== Mutants: the reference with one bug each ====

    /** Counts a vote answered in an earlier election as if it were cast in this one. */
    static final class StaleVoteCounter extends Raft {
        StaleVoteCounter(Config config) {
            super(config);
        }

        @Override
        public void step(Message m) {
            boolean stale = m.getMsgType() == MessageType.MsgRequestVoteResponse && m.getTerm() < term;
            super.step(stale && state == StateType.CANDIDATE ? m.toBuilder().setTerm(term).build() : m);
        }
    }

    /** Grants a vote on the term alone, without comparing logs (Raft §5.4.1 forgotten). */
    static final class TermOnlyVoter extends Raft {
        TermOnlyVoter(Config config) {
            super(config);
        }

        @Override
        public void step(Message m) {
            boolean request = m.getMsgType() == MessageType.MsgRequestVote;
            // A request that claims the longest possible log is granted whenever the vote is free.
            super.step(request ? m.toBuilder().setLogTerm(Long.MAX_VALUE / 2).setIndex(Long.MAX_VALUE / 2).build() : m);
        }
    }

    /** Cuts its log after the leader's previous entry on every append, even when nothing conflicts. */
    static final class TruncatingFollower extends Raft {
        TruncatingFollower(Config config) {
            super(config);
        }

        @Override
        void handleAppendEntries(Message m) {
            long prev = m.getIndex();
            boolean matches = prev >= raftLog.committed && prev <= raftLog.lastIndex()
                    && raftLog.term(prev) == m.getLogTerm();
            if (matches) {
                raftLog.entries.removeIf(entry -> entry.getIndex() > prev);
                raftLog.stabled = Math.min(raftLog.stabled, prev);
            }
            super.handleAppendEntries(m);
        }
    }

    /** Never campaigns: its clock does not run. */
    static final class Mute extends Raft {
        Mute(Config config) {
            super(config);
        }

        @Override
        void tick() {}
    }

    // ==== The search finds each bug ====

    record Case(String name, ScheduleSpec spec, List<Step> prefix, ScheduleSearch.Bounds bounds, String property,
            int longestSchedule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> mutants() {
        ScheduleSpec truncating = replication(1, TruncatingFollower::new);
        ScheduleSpec termOnly = replication(1, TermOnlyVoter::new);
        return Stream.of(
                Arguments.of(new Case("a stale vote counted: searchTwoElections2AA", elections(1, StaleVoteCounter::new),
                        List.of(), ScheduleScenarios.TWO_ELECTIONS, "election safety", 8)),
                Arguments.of(new Case("a vote on the term alone: searchLeaderChange2AB", termOnly,
                        ScheduleScenarios.firstLeader(termOnly), ScheduleScenarios.LEADER_CHANGE, "leader completeness", 22)),
                Arguments.of(new Case("truncation on a match: searchLeaderChange2AB", truncating,
                        ScheduleScenarios.firstLeader(truncating), ScheduleScenarios.LEADER_CHANGE, "", 22)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    @DisplayName("a search test finds the bug, with a short schedule that replays to the same failure")
    void searchFindsTheBug(Case c) {
        ScheduleSearch.Result result = ScheduleSearch.run(c.spec(), c.prefix(), c.bounds());

        assertThat(result.failure()).as("%s: what the search found (%s)", c.name(), result.summary()).isPresent();
        ScheduleFailure failure = result.failure().get();
        assertThat(failure.getMessage()).as("%s: the failure names the property", c.name())
                .contains("Raft invariant broken: " + c.property())
                .contains("     1. ").contains("<-- broke it");
        assertThat(failure.schedule()).as("%s: the schedule it prints (prefix included)", c.name())
                .hasSizeLessThanOrEqualTo(c.longestSchedule());

        ScheduledNetwork replay = c.spec().start();
        assertThatThrownBy(() -> replay.applyAll(failure.schedule()))
                .as("%s: replaying the printed schedule on new nodes", c.name())
                .isInstanceOf(ScheduleFailure.class).hasMessage(failure.getMessage());
    }

    @Test
    @DisplayName("random schedules catch a stale vote counted too, on some of 8 seeds")
    void randomSchedulesFindAStaleVote() {
        long failing = LongStream.rangeClosed(1, 8).filter(seed -> {
            ScheduleSpec spec = elections(seed, StaleVoteCounter::new);
            try {
                RandomSchedule.run(spec, chaos(3_000, List.of()), new SplittableRandom(seed));
                return false;
            } catch (ScheduleFailure failure) {
                return failure.getMessage().contains("election safety");
            }
        }).count();
        assertThat(failing).as("seeds of 1..8 on which a random schedule breaks election safety").isPositive();
    }

    @Test
    @DisplayName("random schedules churn: many elections, and in 2AB all 20 proposals committed after the heal")
    void randomSchedulesChurn() {
        List<String> proposals = LongStream.rangeClosed(1, 20).mapToObj(i -> "v" + i).toList();
        for (long seed = 1; seed <= 3; seed++) {
            RandomSchedule.Report elections = RandomSchedule.run(
                    elections(seed, Raft::new), chaos(3_000, List.of()), new SplittableRandom(seed));
            RandomSchedule.Report replication = RandomSchedule.run(
                    replication(seed, Raft::new), chaos(3_000, proposals), new SplittableRandom(seed));
            assertThat(elections.leaderTerms()).as("terms with a leader, 2AA schedule of seed %d: %s", seed,
                    elections.summary()).isGreaterThanOrEqualTo(5);
            assertThat(replication.leaderTerms()).as("terms with a leader, 2AB schedule of seed %d: %s", seed,
                    replication.summary()).isGreaterThanOrEqualTo(5);
            assertThat(replication.mostCommitted()).as("commit index after the heal, 2AB schedule of seed %d: %s", seed, replication.summary())
                    .isGreaterThanOrEqualTo(21); // 20 proposals and at least one noop
        }
    }

    @Test
    @DisplayName("a group that cannot elect anyone misses the liveness goal, reported with its schedule")
    void livenessGoalMissed() {
        ScheduleSpec spec = elections(1, Mute::new);
        assertThatThrownBy(() -> RandomSchedule.run(spec, chaos(100, List.of()), new SplittableRandom(1)))
                .isInstanceOf(ScheduleFailure.class)
                .hasMessageContaining("Raft liveness goal missed: no leader that every node follows after 40 heal rounds")
                .hasMessageContaining("<-- gave up here");
    }

    // ==== The harness's parts ====

    @Test
    @DisplayName("two orders of the same deliveries reach one fingerprint; another state has another")
    void fingerprintsIdentifyStates() {
        ScheduledNetwork one = elections(1, Raft::new).start();
        one.fireTimer(1, 4);
        List<Message> requests = List.copyOf(one.inFlight());
        ScheduledNetwork other = elections(1, Raft::new).start();
        other.fireTimer(1, 4);

        one.apply(new Step.Deliver(requests.get(0)));
        one.apply(new Step.Deliver(requests.get(1)));
        other.apply(new Step.Deliver(requests.get(1)));
        other.apply(new Step.Deliver(requests.get(0)));

        assertThat(one.fingerprint()).as("the same state reached in two orders").isEqualTo(other.fingerprint());
        assertThat(one.fingerprint(1)).as("the same state with another budget left").isNotEqualTo(one.fingerprint(0));
        other.apply(new Step.Duplicate(other.inFlight().get(0)));
        assertThat(other.fingerprint()).as("one more message in flight").isNotEqualTo(one.fingerprint());
    }

    @Test
    @DisplayName("a fork goes on independently and agrees with a replay of its schedule")
    void forksAgreeWithReplays() {
        ScheduledNetwork original = replication(1, Raft::new).start();
        original.fireTimer(1, 4);
        ScheduledNetwork fork = original.fork();
        fork.deliverAll(100);

        ScheduledNetwork replay = replication(1, Raft::new).start();
        replay.applyAll(fork.schedule());
        assertThat(fork.fingerprint()).as("a fork after delivering everything, against a replay")
                .isEqualTo(replay.fingerprint());
        assertThat(original.inFlight()).as("the original's messages after the fork delivered its own").hasSize(2);
        assertThat(original.raft(2).term).as("node 2's term in the original").isZero();
    }

    @Test
    @DisplayName("a step naming a message that is not in flight is refused, naming the step")
    void stepsMustFit() {
        ScheduledNetwork network = elections(1, Raft::new).start();
        Message never = message(MessageType.MsgRequestVote, 2, 1).setTerm(1).build();
        assertThatThrownBy(() -> network.apply(new Step.Deliver(never)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 1 (deliver   MsgRequestVote 2->1 term=1")
                .hasMessageContaining("not in flight");
    }

    @Test
    @DisplayName("the group invariants catch diverging logs, lost commits and a term going back")
    void groupInvariantsCatchBrokenStates() {
        Raft a = follower(1, entry(1, 1, "x"), entry(2, 2, "y"));
        Raft b = follower(2, entry(1, 1, "z"), entry(2, 2, "y"));
        assertThat(new ClusterInvariants().violation(List.of(a, b))).as("logs that share (2, term 2) but differ at 1")
                .hasValueSatisfying(what -> assertThat(what).startsWith("log matching").contains("differ at index 1"));

        ClusterInvariants history = new ClusterInvariants();
        Raft c = follower(1, entry(1, 1, "x"));
        c.raftLog.committed = 1;
        Raft d = follower(2, entry(1, 1, "w"));
        d.raftLog.committed = 1;
        assertThat(history.violation(List.of(c))).isEmpty();
        assertThat(history.violation(List.of(d))).as("two nodes committing different entries at index 1")
                .hasValueSatisfying(what -> assertThat(what).startsWith("state machine safety"));

        ClusterInvariants completeness = new ClusterInvariants();
        assertThat(completeness.violation(List.of(c))).isEmpty();
        Raft leader = follower(3, entry(1, 2, ""));
        leader.term = 2;
        leader.state = StateType.LEADER;
        assertThat(completeness.violation(List.of(leader))).as("a leader of term 2 without an entry committed in term 1")
                .hasValueSatisfying(what -> assertThat(what).startsWith("leader completeness"));

        ClusterInvariants terms = new ClusterInvariants();
        Raft e = follower(1);
        e.term = 3;
        assertThat(terms.violation(List.of(e))).isEmpty();
        e.term = 2;
        assertThat(terms.violation(List.of(e))).as("a term going from 3 to 2")
                .hasValueSatisfying(what -> assertThat(what).startsWith("term never goes back"));
    }

    /** A follower of term 1 in a group of 3 whose log holds these entries. */
    private Raft follower(long id, tinykv.proto.eraftpb.Entry... entries) {
        Raft node = newTestRaft(id, ids(1, 2, 3), 10, 1, new MemoryStorage());
        node.raftLog.entries.addAll(List.of(entries));
        node.term = 1;
        return node;
    }
}
