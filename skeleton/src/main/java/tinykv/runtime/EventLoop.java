package tinykv.runtime;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Everything the raftstore is handed instead of threads and clocks: virtual time, timers, one seeded random
 * source, and mailboxes. Raftstore code only enqueues and handles; it never blocks, sleeps, spawns a thread
 * or reads a clock, so under test a whole cluster runs on one thread, as a pure function of its seed.
 *
 * <p>Each store gets its own event loop. Stopping the store halts it: its pending timers and undelivered
 * mail are dropped, as a crash would drop them.
 *
 * <p>An exception thrown by a timer task or a mailbox handler is a bug in the code that threw it: the
 * loop stops and reports it with the store, the virtual time and how to replay it. Never catch and log.
 */
public interface EventLoop {

    /** A name for reports and logs, such as {@code store 3}. */
    String name();

    /** Virtual milliseconds since the cluster started. Only ever moves forward. */
    long now();

    /** Runs {@code task} once, {@code delay} from now. {@code what} names it in traces and failure reports. */
    Timer schedule(Duration delay, String what, Runnable task);

    /** The one random source of this loop, drawn from the seed. Never make another. */
    RandomGenerator random();

    /**
     * A named queue whose handler takes everything queued so far as one batch, soon after the first
     * message arrives (never inside {@link Mailbox#send}). Messages keep their order.
     */
    <M> Mailbox<M> mailbox(String name, MailboxHandler<M> handler);
}
