package tinykv.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import tinykv.labs.Seeds;
import tinykv.runtime.Timer;

/**
 * A single-threaded discrete-event simulator: the whole cluster of a test runs here, as a pure function of
 * its seed.
 *
 * <ul>
 *   <li>Virtual time starts at 0 and moves only from one event to the next; nothing waits for real time.
 *   <li>One queue ordered by (virtual time, sequence number). The sequence breaks ties, so events of the
 *       same millisecond run in the order they were scheduled, identically in every run.
 *   <li>One seed, and from it a named random stream per component ({@link #random(String)}), so one
 *       component's draws never reshuffle another's.
 *   <li>Every event that runs enters a {@link #fingerprint()}; the last few are kept for failure reports.
 *   <li>A task that throws ends the run with a {@link SimulationFailure}; so do the safety limits.
 * </ul>
 *
 * <p>Typical use: warm up, inject a fault, then {@code mustRunUntil("leader elected", ..., 10 s)}.
 * The wall clock is read only for the summary line: every limit counts events, so that whether a run passes
 * depends on the test and the seed alone, never on how busy the machine is.
 */
public final class Simulator {

    /**
     * The limits that end a run that would never end by itself.
     *
     * @param maxEvents the whole run's budget of events, a safety net under JUnit's 60 s timeout that ends the
     *     same run at the same event on every machine (the largest reference run of a staged test,
     *     splitRecoverManyClients3B, takes about 1.5 million events; the default leaves more than twice that)
     * @param eventsAtOneInstant more events than this without virtual time moving is a livelock
     * @param recentEvents how many of the last events a failure report lists
     */
    public record Limits(long maxEvents, int eventsAtOneInstant, int recentEvents) {
        public static final Limits DEFAULT = new Limits(4_000_000, 100_000, 30);

        public Limits {
            if (maxEvents < 1 || eventsAtOneInstant < 1 || recentEvents < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxEvents + ", "
                        + eventsAtOneInstant + ", " + recentEvents);
            }
        }

        public Limits withMaxEvents(long limit) {
            return new Limits(limit, eventsAtOneInstant, recentEvents);
        }

        public Limits withEventsAtOneInstant(int limit) {
            return new Limits(maxEvents, limit, recentEvents);
        }
    }

    /** How many of the latest notes a failure report lists. */
    private static final int MAX_NOTES = 10;

    private final long seed;
    private final Limits limits;
    private final PriorityQueue<SimEvent> queue = new PriorityQueue<>();
    private final EventTrace trace;
    private final Map<String, SplittableRandom> streams = new LinkedHashMap<>();
    private final Map<Long, StoreLoop> stores = new TreeMap<>();
    private final Map<Long, Integer> incarnations = new TreeMap<>();
    private final Map<String, Runnable> invariants = new LinkedHashMap<>();
    /** What must happen once the event under way has ended, before the invariants look (a crash's clean-up). */
    private final List<Runnable> afterThisEvent = new ArrayList<>();
    private SimEvent current;
    /** The latest notes (crash points taken), for failure reports: they may be far behind the last events. */
    private final ArrayDeque<String> notes = new ArrayDeque<>();
    private final long wallStartNanos = System.nanoTime();
    private long now;
    private long nextSequence;
    private long eventsAtThisInstant;
    private boolean running;
    private SimulationFailure failure;

    // ---- Construction ----

    public Simulator(long seed, Limits limits) {
        this.seed = seed;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.trace = new EventTrace(limits.recentEvents());
        RunTrace.ofRunningTest().ifPresent(run -> trace.recordInto(run, run.join(this)));
    }

    public Simulator(long seed) {
        this(seed, Limits.DEFAULT);
    }

    /** A simulator for this run's seed ({@code SEED=n}, default 1), see {@link Seeds#current()}. */
    public static Simulator forCurrentSeed() {
        return new Simulator(Seeds.current());
    }

    // ---- Clock, randomness, stores ----

    public long seed() {
        return seed;
    }

    /** Virtual milliseconds since the start. */
    public long now() {
        return now;
    }

    /**
     * The random stream named {@code name} ("network", "workload", "store 3#1"...), the same instance on
     * every call. Each stream's seed is derived from the root seed and the name alone, not split off in
     * creation order, so adding a component or creating components in another order leaves every other
     * stream's draws unchanged.
     */
    public SplittableRandom random(String name) {
        return streams.computeIfAbsent(name, n -> new SplittableRandom(mix64(seed ^ mix64(fnv1a(n)))));
    }

    /** The running loop of store {@code storeId} ("store 3"), created on first use. */
    public StoreLoop store(long storeId) {
        StoreLoop loop = stores.get(storeId);
        return loop != null ? loop : startStore(storeId);
    }

    /** True if the store has a loop that is not halted. */
    public boolean isStoreUp(long storeId) {
        StoreLoop loop = stores.get(storeId);
        return loop != null && !loop.isHalted();
    }

    /**
     * Halts the store's current loop, if any (a crash: its timers and mail are dropped), and gives the store
     * a fresh loop with a fresh random stream. Deterministic: the n-th incarnation of a store always draws
     * from the stream "store id#n".
     */
    public StoreLoop restartStore(long storeId) {
        StoreLoop old = stores.get(storeId);
        if (old != null) {
            old.halt();
        }
        return startStore(storeId);
    }

    private StoreLoop startStore(long storeId) {
        int incarnation = incarnations.merge(storeId, 1, Integer::sum);
        String name = "store " + storeId;
        StoreLoop loop = new StoreLoop(this, name, random(name + "#" + incarnation));
        stores.put(storeId, loop);
        return loop;
    }

    /** A loop for another component, such as the mock scheduler; it never restarts. */
    public StoreLoop newLoop(String name) {
        return new StoreLoop(this, name, random(name));
    }

    // ---- Scheduling ----

    /**
     * Runs {@code task} {@code delayMs} virtual milliseconds from now, after everything already scheduled
     * for that instant. {@code owner} ("client 2", "test") and {@code what} name it in the trace: keep them
     * deterministic (no identity hash codes, no hash-set order).
     */
    public Timer schedule(long delayMs, String owner, String what, Runnable task) {
        return enqueue(delayMs, owner, what, task, null);
    }

    SimEvent enqueue(long delayMs, String owner, String what, Runnable task, StoreLoop loop) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("cannot schedule in the past: delay " + delayMs + " ms for " + what);
        }
        SimEvent event = new SimEvent(now + delayMs, nextSequence++, Objects.requireNonNull(owner, "owner"),
                Objects.requireNonNull(what, "what"), Objects.requireNonNull(task, "task"), loop);
        queue.add(event);
        return event;
    }

    /**
     * Checks {@code check} after every event from now on; if it throws, the run fails with a report naming
     * the invariant ("one leader per term") and the event after which it broke. Keep checks cheap: run
     * costly ones once at the end of a test instead.
     */
    public void checkAfterEachEvent(String invariantName, Runnable check) {
        invariants.put(Objects.requireNonNull(invariantName, "invariantName"), Objects.requireNonNull(check, "check"));
    }

    /**
     * Runs {@code task} as soon as the event under way has ended (however it ended), before the invariants are
     * checked; at once if no event is running. For a crash point: the store stops mid-event, its clean-up
     * (closing engines) waits until its code is off the stack.
     */
    public void afterThisEvent(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (current == null) {
            task.run();
        } else {
            afterThisEvent.add(task);
        }
    }

    /** The owner of the event under way ("store 3", "client 2"), or empty between events. */
    public Optional<String> currentOwner() {
        return current == null ? Optional.empty() : Optional.of(current.owner);
    }

    /**
     * Records something that happened inside the event under way (a store crashing at a crash point) in the
     * trace: it shows in failure reports among the last events, and enters the fingerprint.
     */
    public void note(String owner, String what) {
        trace.record(now, Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(what, "what"));
        if (notes.size() == MAX_NOTES) {
            notes.removeFirst();
        }
        notes.addLast(String.format(Locale.ROOT, "[%9.3fs] %-10s %s", now / 1000.0, owner, what));
    }

    // ---- Running ----

    /** Runs every event up to {@code now + duration}, then leaves the clock there. */
    public void runFor(Duration duration) {
        long deadline = deadline(duration);
        runEvents(deadline, () -> false);
        now = deadline;
    }

    /**
     * Runs until {@code condition} holds (checked before the first event and after each one) or
     * {@code budget} of virtual time has passed. Returns whether it held; on false the clock is at the
     * deadline.
     */
    public boolean runUntil(String conditionName, BooleanSupplier condition, Duration budget) {
        Objects.requireNonNull(conditionName, "conditionName");
        long deadline = deadline(budget);
        if (runEvents(deadline, condition)) {
            return true;
        }
        now = deadline;
        return false;
    }

    /** Like {@link #runUntil}, but a condition that did not hold in time fails the test with a report. */
    public void mustRunUntil(String conditionName, BooleanSupplier condition, Duration budget) {
        long start = now;
        if (!runUntil(conditionName, condition, budget)) {
            throw fail(String.format(Locale.ROOT, "condition \"%s\" did not hold within %.3fs of virtual time "
                    + "(from %.3fs)%s", conditionName, budget.toMillis() / 1000.0, start / 1000.0, quietNote()), null);
        }
    }

    /** Runs until the future completes, then returns its value; fails with a report if it did not in time. */
    public <T> T runUntilDone(String what, CompletableFuture<T> future, Duration budget) {
        long start = now;
        if (!runUntil(what, future::isDone, budget)) {
            throw fail(String.format(Locale.ROOT, "%s did not complete within %.3fs of virtual time (from %.3fs)%s",
                    what, budget.toMillis() / 1000.0, start / 1000.0, quietNote()), null);
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw fail(what + " completed exceptionally", e.getCause());
        }
    }

    public <T> T runUntilDone(CompletableFuture<T> future, Duration budget) {
        return runUntilDone("the future", future, budget);
    }

    /**
     * Runs events in order until the condition holds (true) or the next event is past the deadline or
     * none is left (false).
     */
    private boolean runEvents(long deadline, BooleanSupplier condition) {
        if (failure != null) {
            throw failure; // a failed simulation stays failed: its state is not to be trusted
        }
        if (running) {
            throw new IllegalStateException("the simulator is already running: do not run it from inside an event");
        }
        running = true;
        try {
            if (holds(condition)) {
                return true;
            }
            while (!queue.isEmpty() && queue.peek().time <= deadline) {
                SimEvent event = queue.poll();
                if (event.isLive()) {
                    runOne(event);
                    runAfterThisEvent(event);
                    checkInvariants(event);
                    if (holds(condition)) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            running = false;
        }
    }

    private void runOne(SimEvent event) {
        eventsAtThisInstant = event.time == now ? eventsAtThisInstant + 1 : 1;
        now = event.time;
        trace.record(event.time, event.owner, event.what);
        if (eventsAtThisInstant > limits.eventsAtOneInstant()) {
            throw fail(String.format(Locale.ROOT, "livelock: more than %d events at virtual time %.3fs without "
                    + "time moving on (something reschedules itself with no delay)",
                    limits.eventsAtOneInstant(), now / 1000.0), null);
        }
        if (trace.count() > limits.maxEvents()) {
            throw fail(String.format(Locale.ROOT, "event budget of %d events spent at virtual time %.3fs: the "
                    + "simulated cluster never went quiet and no condition held (a message storm, or a loop of "
                    + "timers that never ends?)", limits.maxEvents(), now / 1000.0), null);
        }
        current = event;
        try {
            event.task.run();
        } catch (StoreCrash crash) {
            // A crash point stopped the store here: the event ends, the run goes on.
        } catch (SimulationFailure nested) {
            throw nested;
        } catch (RuntimeException | Error e) {
            throw fail(event.owner + " failed while running \"" + event.what + "\"", e);
        } finally {
            current = null;
        }
    }

    private void runAfterThisEvent(SimEvent after) {
        while (!afterThisEvent.isEmpty()) {
            Runnable task = afterThisEvent.remove(0);
            try {
                task.run();
            } catch (SimulationFailure nested) {
                throw nested;
            } catch (RuntimeException | Error e) {
                throw fail("what had to follow " + after.owner + "'s \"" + after.what + "\" failed", e);
            }
        }
    }

    private void checkInvariants(SimEvent after) {
        for (Map.Entry<String, Runnable> invariant : invariants.entrySet()) {
            try {
                invariant.getValue().run();
            } catch (RuntimeException | Error e) {
                throw fail("invariant \"" + invariant.getKey() + "\" broken after " + after.owner + " ran \""
                        + after.what + "\"", e);
            }
        }
    }

    /** A condition that throws is reported like a task that throws: with time, seed and the last events. */
    private boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException | Error e) {
            throw fail("a condition being waited for threw", e);
        }
    }

    /**
     * A check the test made between runs failed: the same report as a failure inside the run (virtual time,
     * seed, the last events), with {@code broken} as its cause. Throw what this returns.
     */
    public SimulationFailure checkFailed(AssertionError broken) {
        return fail("a check of the test, after the last event", Objects.requireNonNull(broken, "broken"));
    }

    /** Records and returns the failure; the simulator refuses to run after it. */
    private SimulationFailure fail(String headline, Throwable cause) {
        failure = new SimulationFailure(headline, seed, now, trace.recent(), List.copyOf(notes), cause);
        return failure;
    }

    private String quietNote() {
        return queue.stream().anyMatch(SimEvent::isLive) ? "" : "; nothing was left to run (the cluster went quiet)";
    }

    private long deadline(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("a virtual budget cannot be negative: " + budget);
        }
        return Math.addExact(now, budget.toMillis());
    }

    // ---- Reports ----

    /** Events run so far (cancelled and halted events are not run and not counted). */
    public long eventsProcessed() {
        return trace.count();
    }

    /** A hash of every event run so far: the same seed and test give the same value in every JVM. */
    public long fingerprint() {
        return trace.fingerprint();
    }

    /** The fingerprint as 16 hex digits. */
    public String fingerprintHex() {
        return String.format(Locale.ROOT, "%016x", trace.fingerprint());
    }

    /** The last events run, oldest first, one line each, as a failure report lists them. */
    public List<String> recentEvents() {
        return trace.recent().stream().map(EventTrace.Entry::toString).toList();
    }

    /** {@code [sim] <test> seed=<n> virtual=<s>s wall=<ms>ms events=<n> fingerprint=<16 hex>}. */
    public String summaryLine(String testName) {
        return String.format(Locale.ROOT, "[sim] %s seed=%d virtual=%.3fs wall=%dms events=%d fingerprint=%s",
                testName, seed, now / 1000.0, wallMillis(), trace.count(), fingerprintHex());
    }

    private long wallMillis() {
        return (System.nanoTime() - wallStartNanos) / 1_000_000;
    }

    // ---- Hashing for stream seeds ----

    private static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64's finalizer: spreads nearby seeds (1, 2, 3) into unrelated streams. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
