package tinykv.scheduler.server;

/**
 * Hands out ids for stores, regions and peers, each once (TinyKV's {@code id.Allocator}). Thread-safe:
 * heartbeats and the coordinator may ask at once.
 */
public final class IdAllocator {
    private long next;

    /** Ids from {@code first} up. */
    public IdAllocator(long first) {
        if (first < 1) {
            throw new IllegalArgumentException("ids start at 1 or later (0 means \"no id\"), was " + first);
        }
        this.next = first;
    }

    public synchronized long alloc() {
        return next++;
    }
}
