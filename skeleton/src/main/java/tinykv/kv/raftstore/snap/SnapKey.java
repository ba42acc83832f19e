package tinykv.kv.raftstore.snap;

import tinykv.proto.eraftpb.SnapshotMetadata;

/**
 * Names one snapshot of a region: the log position it was taken at. A store keeps at most one snapshot under
 * each name, whether it generated it or received it.
 */
public record SnapKey(long regionId, long term, long index) implements Comparable<SnapKey> {

    public static SnapKey of(long regionId, SnapshotMetadata metadata) {
        return new SnapKey(regionId, metadata.getTerm(), metadata.getIndex());
    }

    @Override
    public int compareTo(SnapKey other) {
        int byRegion = Long.compare(regionId, other.regionId);
        if (byRegion != 0) {
            return byRegion;
        }
        int byIndex = Long.compare(index, other.index);
        return byIndex != 0 ? byIndex : Long.compare(term, other.term);
    }

    @Override
    public String toString() {
        return "snapshot " + regionId + "_" + term + "_" + index;
    }
}
