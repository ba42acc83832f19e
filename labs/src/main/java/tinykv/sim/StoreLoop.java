package tinykv.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Mailbox;
import tinykv.runtime.MailboxHandler;
import tinykv.runtime.Timer;

/**
 * The {@link EventLoop} of one store ("store 3") on the {@link Simulator}: its timers and mailboxes are
 * simulator events owned by the store, and its random source is its own stream of the seed.
 *
 * <p>{@link #halt()} is a crash: every pending timer and undelivered message of this loop is dropped, and
 * whatever the stopped store's code still tries afterwards (a send, a schedule) is silently ignored, so a
 * dead store's leftovers never run. A restarted store gets a fresh loop from
 * {@link Simulator#restartStore(long)}; this one stays dead.
 */
public final class StoreLoop implements EventLoop {
    /** Returned for schedules on a halted loop: there is nothing to cancel. */
    private static final Timer NOTHING_SCHEDULED = () -> {};

    private final Simulator simulator;
    private final String name;
    private final RandomGenerator random;
    private final List<SimMailbox<?>> mailboxes = new ArrayList<>();
    private boolean halted;

    StoreLoop(Simulator simulator, String name, RandomGenerator random) {
        this.simulator = simulator;
        this.name = name;
        this.random = random;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long now() {
        return simulator.now();
    }

    /** Virtual time counts whole milliseconds, so a delay is truncated to them (500 µs runs this instant). */
    @Override
    public Timer schedule(Duration delay, String what, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        return schedule(delay.toMillis(), what, task);
    }

    /** Like {@link #schedule(Duration, String, Runnable)}, in virtual milliseconds. */
    public Timer schedule(long delayMs, String what, Runnable task) {
        if (halted) {
            return NOTHING_SCHEDULED;
        }
        return simulator.enqueue(delayMs, name, what, task, this);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public <M> Mailbox<M> mailbox(String mailboxName, MailboxHandler<M> handler) {
        SimMailbox<M> mailbox = new SimMailbox<>(mailboxName, Objects.requireNonNull(handler, "handler"));
        if (!halted) {
            mailboxes.add(mailbox);
        }
        return mailbox;
    }

    /** Crashes this loop: pending timers and mail are dropped now, and later sends and schedules ignored. */
    public void halt() {
        halted = true;
        for (SimMailbox<?> mailbox : mailboxes) {
            mailbox.queued.clear();
        }
        // Pending events stay in the simulator's queue but are skipped: SimEvent.isLive() asks isHalted().
    }

    public boolean isHalted() {
        return halted;
    }

    @Override
    public String toString() {
        return name + (halted ? " (halted)" : "");
    }

    /**
     * A mailbox whose first message since the last batch schedules one drain at the current instant (delay
     * 0: after the events already queued for this instant, never inside send). The drain hands everything
     * queued by then to the handler as one batch; mail sent while the handler runs goes to the next batch.
     */
    private final class SimMailbox<M> implements Mailbox<M> {
        private final String mailboxName;
        private final MailboxHandler<M> handler;
        private List<M> queued = new ArrayList<>();
        private boolean drainScheduled;

        SimMailbox(String mailboxName, MailboxHandler<M> handler) {
            this.mailboxName = mailboxName;
            this.handler = handler;
        }

        @Override
        public String name() {
            return mailboxName;
        }

        @Override
        public void send(M message) {
            Objects.requireNonNull(message, "message");
            if (halted) {
                return;
            }
            queued.add(message);
            if (!drainScheduled) {
                drainScheduled = true;
                simulator.enqueue(0, name, "mailbox " + mailboxName, this::drain, StoreLoop.this);
            }
        }

        private void drain() {
            List<M> batch = queued;
            queued = new ArrayList<>();
            drainScheduled = false;
            if (!batch.isEmpty()) {
                handler.handle(batch);
            }
        }

        @Override
        public String toString() {
            return name + " mailbox " + mailboxName;
        }
    }
}
