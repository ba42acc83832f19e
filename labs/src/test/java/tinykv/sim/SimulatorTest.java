package tinykv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.runtime.Timer;

/** The simulator core: order, clock, runs, budgets, failures and safety limits. */
@Tag("kit")
@DisplayName("Kit: the simulator's event queue, clock and failure reports")
class SimulatorTest {
    private final Simulator sim = new Simulator(7);
    private final List<String> ran = new ArrayList<>();

    private void at(long delayMs, String name) {
        sim.schedule(delayMs, "test", name, () -> ran.add(name + "@" + sim.now()));
    }

    @Test
    @DisplayName("events run in virtual-time order, ties in the order they were scheduled")
    void orderingAndTieBreaking() {
        at(5, "c");
        at(1, "a");
        at(5, "d");
        at(1, "b");
        at(0, "first");
        sim.runFor(Duration.ofMillis(10));
        assertThat(ran).containsExactly("first@0", "a@1", "b@1", "c@5", "d@5");
        assertThat(sim.now()).isEqualTo(10);
        assertThat(sim.eventsProcessed()).isEqualTo(5);
    }

    @Test
    @DisplayName("an event scheduled with no delay runs after the events already queued for this instant")
    void zeroDelayGoesToTheBackOfTheInstant() {
        sim.schedule(3, "test", "outer", () -> {
            ran.add("outer");
            sim.schedule(0, "test", "inner", () -> ran.add("inner"));
        });
        at(3, "sibling");
        sim.runFor(Duration.ofMillis(3));
        assertThat(ran).containsExactly("outer", "sibling@3", "inner");
    }

    @Test
    @DisplayName("runFor stops at its deadline and leaves later events queued")
    void runForStopsAtTheDeadline() {
        at(10, "early");
        at(11, "late");
        sim.runFor(Duration.ofMillis(10));
        assertThat(ran).containsExactly("early@10");
        sim.runFor(Duration.ofMillis(1));
        assertThat(ran).containsExactly("early@10", "late@11");
    }

    @Test
    @DisplayName("a cancelled timer never runs, counts or enters the fingerprint")
    void timersCancel() {
        Timer timer = sim.schedule(2, "test", "cancelled", () -> ran.add("cancelled"));
        at(1, "kept");
        timer.cancel();
        timer.cancel(); // twice is fine
        sim.runFor(Duration.ofMillis(5));
        assertThat(ran).containsExactly("kept@1");
        assertThat(sim.eventsProcessed()).isEqualTo(1);
    }

    @Test
    @DisplayName("runUntil returns true at the event that made the condition hold, false at the deadline")
    void runUntilBooleanForm() {
        at(4, "x");
        at(6, "y");
        assertThat(sim.runUntil("x ran", () -> !ran.isEmpty(), Duration.ofSeconds(1))).isTrue();
        assertThat(sim.now()).isEqualTo(4);
        assertThat(sim.runUntil("never", () -> false, Duration.ofMillis(100))).isFalse();
        assertThat(sim.now()).isEqualTo(104);
        assertThat(ran).containsExactly("x@4", "y@6");
    }

    @Test
    @DisplayName("mustRunUntil fails with the condition's name, the virtual time and the seed")
    void mustRunUntilFailsWithAReport() {
        at(3, "tick");
        SimulationFailure failure = catchThrowableOfType(
                () -> sim.mustRunUntil("leader elected", () -> false, Duration.ofSeconds(2)), SimulationFailure.class);
        assertThat(failure.getMessage())
                .contains("condition \"leader elected\" did not hold within 2.000s")
                .contains("at virtual time 2.000s, seed 7")
                .contains("test       tick")
                .contains("nothing was left to run")
                .contains("SEED=7");
        assertThat(failure.seed()).isEqualTo(7);
        assertThat(failure.virtualTime()).isEqualTo(2000);
    }

    @Test
    @DisplayName("runUntilDone returns the value, or fails when the future never completes in time")
    void runUntilDone() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        sim.schedule(30, "store 1", "reply", () -> reply.complete("ok"));
        assertThat(sim.runUntilDone("put k1", reply, Duration.ofSeconds(1))).isEqualTo("ok");
        assertThat(sim.now()).isEqualTo(30);

        Simulator other = new Simulator(8);
        assertThatThrownBy(() -> other.runUntilDone("get k2", new CompletableFuture<>(), Duration.ofMillis(500)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("get k2 did not complete within 0.500s of virtual time")
                .hasMessageContaining("seed 8");
    }

    @Test
    @DisplayName("a throwing task fails the run with owner, time, seed, cause and the last events")
    void throwingTaskYieldsAFailureReport() {
        for (int i = 1; i <= 40; i++) {
            at(i, "step " + i);
        }
        sim.schedule(41, "store 3", "raft worker batch",
                () -> { throw new IllegalStateException("region 1 peer 7: applied index went back"); });
        SimulationFailure failure = catchThrowableOfType(() -> sim.runFor(Duration.ofSeconds(1)),
                SimulationFailure.class);
        String report = failure.getMessage();
        assertThat(report)
                .startsWith("store 3 failed while running \"raft worker batch\"")
                .contains("at virtual time 0.041s, seed 7")
                .contains("because java.lang.IllegalStateException: region 1 peer 7: applied index went back")
                .contains("last 30 events, oldest first")
                .contains("step 40")
                .doesNotContain("step 11\n");
        assertThat(report.lines().filter(line -> line.startsWith("    #"))).hasSize(30);
        assertThat(report.lines().filter(line -> line.startsWith("    #")).reduce((a, b) -> b).orElseThrow())
                .contains("store 3").contains("raft worker batch");
        assertThat(failure).hasCauseInstanceOf(IllegalStateException.class);
        // A failed simulation stays failed.
        assertThatThrownBy(() -> sim.runFor(Duration.ofMillis(1))).isSameAs(failure);
    }

    @Test
    @DisplayName("an assertion thrown by a handler is reported the same way")
    void throwingAssertionIsReported() {
        sim.schedule(5, "store 2", "apply", () -> { throw new AssertionError("log matching broken"); });
        assertThatThrownBy(() -> sim.runFor(Duration.ofMillis(5)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("store 2 failed while running \"apply\"")
                .hasCauseInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("running the simulator from inside one of its events is refused")
    void noReentrantRuns() {
        sim.schedule(1, "test", "nested run", () -> sim.runFor(Duration.ofMillis(1)));
        assertThatThrownBy(() -> sim.runFor(Duration.ofMillis(2)))
                .isInstanceOf(SimulationFailure.class)
                .hasRootCauseMessage("the simulator is already running: do not run it from inside an event");
    }

    @Test
    @DisplayName("a task that keeps rescheduling itself with no delay is stopped as a livelock")
    void livelockGuard() {
        Simulator tight = new Simulator(3, Simulator.Limits.DEFAULT.withEventsAtOneInstant(1000));
        tight.schedule(2, "store 1", "spin", new Runnable() {
            @Override
            public void run() {
                tight.schedule(0, "store 1", "spin", this);
            }
        });
        assertThatThrownBy(() -> tight.runFor(Duration.ofSeconds(1)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("livelock: more than 1000 events at virtual time 0.002s")
                .hasMessageContaining("seed 3");
    }

    @Test
    @DisplayName("the event budget ends a run that never goes quiet, at the same event every time, with the same report")
    void eventBudget() {
        Simulator limited = new Simulator(5, Simulator.Limits.DEFAULT.withMaxEvents(10_000));
        limited.schedule(1, "store 1", "tick", new Runnable() {
            @Override
            public void run() {
                limited.schedule(1, "store 1", "tick", this);
            }
        });
        // 100 virtual years of 1 ms ticks: only the event budget can end this.
        assertThatThrownBy(() -> limited.runUntil("never", () -> false, Duration.ofDays(36_500)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("event budget of 10000 events spent at virtual time 10.001s")
                .hasMessageContaining("seed 5")
                .hasMessageContaining("store 1    tick");
    }

    @Test
    @DisplayName("the summary line has the test, seed, virtual and wall time, events and a 16-hex fingerprint")
    void summaryLine() {
        at(1500, "x");
        sim.runFor(Duration.ofSeconds(2));
        assertThat(sim.summaryLine("Basic2B"))
                .matches("\\[sim\\] Basic2B seed=7 virtual=2\\.000s wall=\\d+ms events=1 fingerprint=[0-9a-f]{16}");
    }

    @Test
    @DisplayName("an invariant is checked after every event; a broken one names itself and the event")
    void invariantsAfterEachEvent() {
        int[] leaders = new int[1];
        sim.checkAfterEachEvent("at most one leader", () -> {
            if (leaders[0] > 1) {
                throw new AssertionError(leaders[0] + " leaders in term 1");
            }
        });
        sim.schedule(1, "store 1", "become leader", () -> leaders[0]++);
        sim.schedule(2, "store 2", "become leader", () -> leaders[0]++);
        assertThatThrownBy(() -> sim.runFor(Duration.ofMillis(5)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageStartingWith("invariant \"at most one leader\" broken after store 2 ran \"become leader\"")
                .hasMessageContaining("2 leaders in term 1")
                .hasMessageContaining("at virtual time 0.002s, seed 7");
    }

    @Test
    @DisplayName("a condition that throws is reported with time and seed")
    void throwingCondition() {
        at(1, "x");
        assertThatThrownBy(() -> sim.runUntil("x ran", () -> { throw new IllegalStateException("bad check"); },
                Duration.ofSeconds(1)))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("a condition being waited for threw")
                .hasMessageContaining("bad check");
    }

    @Test
    @DisplayName("named random streams: the same name gives the same draws, another name different ones")
    void namedStreams() {
        Simulator a = new Simulator(11);
        Simulator b = new Simulator(11);
        b.random("workload").nextLong(); // drawing from another stream first...
        assertThat(a.random("network").nextLong()).isEqualTo(b.random("network").nextLong()); // ...changes nothing
        assertThat(a.random("network")).isSameAs(a.random("network"));
        assertThat(new Simulator(11).random("store 1#1").nextLong())
                .isNotEqualTo(new Simulator(11).random("store 2#1").nextLong())
                .isNotEqualTo(new Simulator(12).random("store 1#1").nextLong());
    }
}
