package tinykv.raft;

import tinykv.proto.eraftpb.Snapshot;

/** Helpers for {@link Snapshot} values. */
public final class Snapshots {
    private Snapshots() {}

    /** A snapshot at index 0 is no snapshot: it is what an empty storage holds. */
    public static boolean isEmpty(Snapshot snapshot) {
        return snapshot == null || !snapshot.hasMetadata() || snapshot.getMetadata().getIndex() == 0;
    }
}
