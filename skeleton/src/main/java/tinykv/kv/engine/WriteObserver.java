package tinykv.kv.engine;

/**
 * What a test harness hears of a store's engine writes, to place simulated crashes between them. Production
 * code never sets one ({@link #NONE}); a store's {@link EngineLocation} carries it across every restart.
 *
 * <p>A crash is a throw from {@link #afterWrite}: the write that was just made stays, and nothing after it in
 * the handling under way runs, as if the process had died there. Code that writes what belongs together in one
 * {@link WriteBatch}, and persists before it sends, survives every such cut.
 */
public interface WriteObserver {
    /** Hears nothing and never crashes anything. */
    WriteObserver NONE = new WriteObserver() {
        @Override
        public void beforeWrite(Engine engine) {}

        @Override
        public void afterWrite(Engine engine) {}

        @Override
        public void holdCrashesForThisHandling(String why) {}
    };

    /** {@code engine} is about to apply a batch; a harness throws here to refuse it (the store is down). */
    void beforeWrite(Engine engine);

    /** {@code engine} has just applied a batch; a harness may throw here to stop the store at this point. */
    void afterWrite(Engine engine);

    /**
     * The writes from here to the end of the handling under way must not be cut apart (applying a snapshot
     * replaces a region's data in the kv engine and its log in the raft engine: two engines, so no one batch
     * can hold both). A crash that falls inside is taken when the handling ends.
     */
    void holdCrashesForThisHandling(String why);
}
