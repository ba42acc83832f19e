package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.MessageType;

/**
 * The schedules the random-schedule and search tests run, in one place, so that the kit's test of the
 * search ({@code ScheduleSearchKitTest}) runs exactly the searches a student's code faces.
 *
 * <p>All of them use 2-tick election timeouts (drawn from 2..3) and 1-tick heartbeats, so that timers
 * fire often: many elections per thousand steps. The 2AA ones lose every {@code MsgAppend} on sending,
 * so that they need only what lab 2AA builds (votes and heartbeats); the 2AB ones replicate.
 *
 * <p>The searches drop nothing: for safety, a message that stays in flight to the end of a schedule is
 * as good as lost, so drops would only add states. The random schedules drop messages, which matters
 * for what the network must recover from.
 */
final class ScheduleScenarios {
    private ScheduleScenarios() {}

    /** Random schedules per test case: each draws its own seed from the run's seed. */
    static final int RANDOM_RUNS = 8;

    /** 2AA: every node may campaign once (term 1); one duplicate, one heartbeat; schedules of any length. */
    static final ScheduleSearch.Bounds ONE_ELECTION = new ScheduleSearch.Bounds(60_000, 1_000, 1, 0, 1, 1, List.of());
    /** 2AA: campaigns up to term 2, reordering only, every schedule of up to 8 steps. */
    static final ScheduleSearch.Bounds TWO_ELECTIONS = new ScheduleSearch.Bounds(60_000, 8, 0, 0, 0, 2, List.of());
    /** 2AB, after node 1 leads term 1: one proposal, one duplicate, one heartbeat, no new election. */
    static final ScheduleSearch.Bounds ONE_LEADER = new ScheduleSearch.Bounds(60_000, 1_000, 1, 0, 1, 1, List.of("p"));
    /** 2AB, after node 1 leads term 1: two proposals and campaigns up to term 2, every schedule of up to 8 steps. */
    static final ScheduleSearch.Bounds LEADER_CHANGE =
            new ScheduleSearch.Bounds(60_000, 8, 0, 0, 0, 2, List.of("p", "q"));

    /** Three nodes whose network loses every MsgAppend: elections and heartbeats only. */
    static ScheduleSpec elections(long seed, Function<Config, Raft> nodes) {
        return ScheduleSpec.of(3, seed).withTicks(2, 1).losing(MessageType.MsgAppend).withNodes(nodes);
    }

    /** Three nodes that replicate. */
    static ScheduleSpec replication(long seed, Function<Config, Raft> nodes) {
        return ScheduleSpec.of(3, seed).withTicks(2, 1).withNodes(nodes);
    }

    /** The steps that make node 1 leader of term 1, with its noop committed everywhere: a quiet start. */
    static List<Step> firstLeader(ScheduleSpec spec) {
        ScheduledNetwork network = spec.start();
        network.fireTimer(1, 2 * spec.electionTick());
        network.deliverAll(1_000);
        return List.copyOf(network.schedule());
    }

    /**
     * Searches, fails with the shortest broken schedule if there is one, and otherwise checks that the
     * search saw a leader in the last term it allows: a node that never wins would pass vacuously.
     */
    static ScheduleSearch.Result searchPasses(ScheduleSpec spec, List<Step> prefix, ScheduleSearch.Bounds bounds) {
        ScheduleSearch.Result result = ScheduleSearch.run(spec, prefix, bounds);
        result.failure().ifPresent(failure -> {
            throw failure.in("the search found a schedule that breaks Raft (" + result.summary() + ")");
        });
        assertThat(result.highestLeader())
                .as("the highest term with a leader in any state the search reached (%s); some schedule within"
                        + " the bounds elects a leader of term %d", result.summary(), bounds.maxTerm())
                .isEqualTo(bounds.maxTerm());
        return result;
    }

    /** Runs {@link #RANDOM_RUNS} random schedules, each from its own seed drawn from the run's seed. */
    static void randomSchedulesPass(LongFunction<ScheduleSpec> spec, RandomSchedule.Options options) {
        SplittableRandom root = Seeds.rootRandom();
        long[] seeds = IntStream.range(0, RANDOM_RUNS).mapToLong(i -> root.nextLong()).toArray();
        for (int i = 0; i < seeds.length; i++) {
            try {
                RandomSchedule.run(spec.apply(seeds[i]), options, new SplittableRandom(seeds[i]).split());
            } catch (ScheduleFailure failure) {
                throw failure.in("random schedule " + (i + 1) + " of " + seeds.length);
            }
        }
    }

    /** Random schedules of {@code steps} steps, with the given proposals; heal within 20 election timeouts. */
    static RandomSchedule.Options chaos(int steps, List<String> proposals) {
        return new RandomSchedule.Options(steps, 50, 40, 4, 6, proposals.isEmpty() ? 0 : 3, 30, proposals, 40);
    }
}
