package tinykv.kv.raftstore;

import java.time.Duration;

/**
 * How snapshots travel between stores and how long unused ones are kept (lab 2C). A snapshot goes in chunks
 * on a channel of its own, and each store bounds the chunks it has in flight, so that one large snapshot
 * never floods the network that raft's own messages share.
 *
 * @param chunkBytes       the most data one chunk carries
 * @param chunksInFlight   the most chunks a store has sent and not yet had acknowledged, over all transfers
 * @param retransmitAfter  a chunk not acknowledged this long after it was sent is sent again
 * @param abandonAfter     a transfer with no acknowledgement for this long is given up (its partial data
 *                         on the receiver too); raft asks for the snapshot again later
 * @param gcInterval       how often a store looks for snapshots nobody needs any more
 * @param keepUnused       how long a snapshot nobody is sending or applying is kept before it is deleted
 */
public record SnapshotConfig(
        int chunkBytes,
        int chunksInFlight,
        Duration retransmitAfter,
        Duration abandonAfter,
        Duration gcInterval,
        Duration keepUnused) {

    public SnapshotConfig {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunkBytes must be positive, was " + chunkBytes);
        }
        if (chunksInFlight <= 0) {
            throw new IllegalArgumentException("chunksInFlight must be positive, was " + chunksInFlight);
        }
        StoreConfig.requirePositive("retransmitAfter", retransmitAfter);
        StoreConfig.requirePositive("abandonAfter", abandonAfter);
        StoreConfig.requirePositive("gcInterval", gcInterval);
        StoreConfig.requirePositive("keepUnused", keepUnused);
        if (abandonAfter.compareTo(retransmitAfter) <= 0) {
            throw new IllegalArgumentException("abandonAfter (" + abandonAfter + ") must be longer than "
                    + "retransmitAfter (" + retransmitAfter + "), or no chunk is ever sent twice");
        }
    }

    /**
     * The tests' settings: 16 KiB chunks, so a test's snapshot of a few hundred keys takes several; 8 chunks in
     * flight per store; a lost chunk is re-sent after 100 ms (network latency is at most 5 ms each way), and a
     * transfer that hears nothing for 1 s (a partition, a stopped store) is abandoned.
     */
    public static SnapshotConfig forTests() {
        return new SnapshotConfig(16 * 1024, 8, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** The same settings with another chunk size. */
    public SnapshotConfig withChunkBytes(int bytes) {
        return new SnapshotConfig(bytes, chunksInFlight, retransmitAfter, abandonAfter, gcInterval, keepUnused);
    }
}
