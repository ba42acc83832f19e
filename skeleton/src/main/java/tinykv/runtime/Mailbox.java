package tinykv.runtime;

/**
 * A named queue on an {@link EventLoop}: one of the framework's "threads" (raft worker, store worker, GC
 * worker...). Senders never wait; the handler takes the queued messages in batches.
 */
public interface Mailbox<M> {

    String name();

    /** Queues a message for the handler. Never runs the handler inside this call. */
    void send(M message);
}
