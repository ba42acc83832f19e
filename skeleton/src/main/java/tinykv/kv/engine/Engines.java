package tinykv.kv.engine;

import static java.util.Objects.requireNonNull;

/**
 * A store's two engines, as in TinyKV: {@link #kv()} holds the region data (column families
 * {@code default}, {@code write}, {@code lock}) with the region and apply states; {@link #raft()} holds
 * each region's raft log and raft state. They are separate databases, so no write batch spans both:
 * that is why peer storage writes the raft state and the apply state at different moments.
 *
 * <p>Opening the engines is starting the store; closing them is stopping it. What was written stays in
 * the {@link EngineLocation} for the next {@link #open}.
 */
public final class Engines implements AutoCloseable {
    private final EngineLocation location;
    private final Engine kv;
    private final Engine raft;
    private boolean closed;

    private Engines(EngineLocation location, Engine kv, Engine raft) {
        this.location = location;
        this.kv = kv;
        this.raft = raft;
    }

    /**
     * Opens (creating on first use) the kv and raft engines of a store.
     *
     * @throws IllegalStateException if the location is destroyed or its engines are open already
     */
    public static Engines open(EngineLocation location) {
        requireNonNull(location, "location");
        location.checkCanOpen();
        String store = location.name();
        Engine kv = Engine.open("kv of " + store, location.kvDirectory(), ColumnFamilies.KV, location.memoryEnv(),
                location.writeObserver());
        Engine raft;
        try {
            raft = Engine.open("raft of " + store, location.raftDirectory(), ColumnFamilies.RAFT, location.memoryEnv(),
                    location.writeObserver());
        } catch (RuntimeException e) {
            kv.close();
            throw e;
        }
        Engines engines = new Engines(location, kv, raft);
        location.opened(engines);
        return engines;
    }

    /** Region data and the region and apply states. */
    public Engine kv() {
        return kv;
    }

    /** Raft logs and raft states. */
    public Engine raft() {
        return raft;
    }

    public EngineLocation location() {
        return location;
    }

    public boolean isClosed() {
        return closed;
    }

    /** See {@link WriteObserver#holdCrashesForThisHandling}: the writes from here to the end of this handling go together. */
    public void holdCrashesForThisHandling(String why) {
        location.writeObserver().holdCrashesForThisHandling(why);
    }

    /** Closes both engines (stops the store); the data stays in the location. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            kv.close();
        } finally {
            raft.close();
            location.closed(this);
        }
    }
}
