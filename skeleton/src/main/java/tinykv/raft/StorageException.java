package tinykv.raft;

/**
 * Why a {@link Storage} could not answer. Raft reacts differently to each kind, so catch the one you
 * expect: for example a leader whose follower needs a {@link Compacted} entry sends a snapshot instead.
 */
public abstract sealed class StorageException extends RuntimeException {

    private StorageException(String message) {
        super(message);
    }

    /** The entry asked for is older than the first index: it was compacted into a snapshot. */
    public static final class Compacted extends StorageException {
        public Compacted(long index, long firstIndex) {
            super("entry " + index + " is compacted (the first available index is " + firstIndex + ")");
        }
    }

    /** The entry asked for is newer than the last index: the storage does not have it yet. */
    public static final class Unavailable extends StorageException {
        public Unavailable(long index, long lastIndex) {
            super("entry " + index + " is unavailable (the last index is " + lastIndex + ")");
        }
    }

    /** A snapshot was asked to be applied or created at or below the index of the one already held. */
    public static final class SnapshotOutOfDate extends StorageException {
        public SnapshotOutOfDate(long index, long snapshotIndex) {
            super("snapshot at index " + index + " is out of date (the storage has one at " + snapshotIndex + ")");
        }
    }

    /** The snapshot is being prepared; ask again later (the raftstore generates snapshots in the background). */
    public static final class SnapshotTemporarilyUnavailable extends StorageException {
        public SnapshotTemporarilyUnavailable() {
            super("snapshot is temporarily unavailable");
        }
    }
}
