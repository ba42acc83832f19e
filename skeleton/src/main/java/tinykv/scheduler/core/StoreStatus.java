package tinykv.scheduler.core;

/**
 * What the scheduler counts on a store from the regions it knows (TinyKV's {@code UpdateStoreStatus}
 * arguments). Sizes are sums of the regions' approximate sizes, in MiB.
 *
 * @param leaderCount      regions whose leader is on the store
 * @param regionCount      regions with a peer on the store (leaders included)
 * @param pendingPeerCount regions with a pending peer on the store
 * @param leaderSize       size of the regions the store leads
 * @param regionSize       size of every region with a peer on the store
 */
public record StoreStatus(int leaderCount, int regionCount, int pendingPeerCount, long leaderSize, long regionSize) {
    public static final StoreStatus EMPTY = new StoreStatus(0, 0, 0, 0, 0);

    public StoreStatus {
        if (leaderCount < 0 || regionCount < 0 || pendingPeerCount < 0 || leaderSize < 0 || regionSize < 0) {
            throw new IllegalArgumentException("store status counts and sizes must not be negative: " + leaderCount
                    + ", " + regionCount + ", " + pendingPeerCount + ", " + leaderSize + ", " + regionSize);
        }
    }
}
