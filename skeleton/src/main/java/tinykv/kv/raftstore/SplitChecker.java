package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.metapb.Region;
import tinykv.runtime.MailboxHandler;

/**
 * The split checker (TinyKV's {@code runner/split_checker.go}), a worker on the store's loop: it measures a
 * region by scanning its data, tells the peer the size (for the scheduler), and when the region has grown
 * past {@code regionMaxSize} asks the peer to split it where the first {@code regionSplitSize} bytes end.
 *
 * <p>The size is that of the keys and values in the default column family, where the values live. The scan
 * stops as soon as the region is known to be too large: a split key is all it needs by then.
 */
final class SplitChecker implements MailboxHandler<SplitCheckTask> {
    private final Engine kv;
    private final Router router;
    private final long maxSize;
    private final long splitSize;

    SplitChecker(Engine kv, Router router, StoreConfig config) {
        this.kv = kv;
        this.router = router;
        this.maxSize = config.regionMaxSize();
        this.splitSize = config.regionSplitSize();
    }

    /** What a scan found: the bytes seen (all, or just past the maximum) and where a split would go. */
    record Measure(long bytes, Optional<ByteString> splitKey) {}

    @Override
    public void handle(List<SplitCheckTask> batch) {
        for (SplitCheckTask task : batch) {
            Region region = task.region();
            Measure measure = measure(region);
            router.send(region.getId(), new PeerMsg.ApproximateSize(measure.bytes()));
            measure.splitKey().ifPresent(splitKey ->
                    router.send(region.getId(), new PeerMsg.SplitRegion(region.getRegionEpoch(), splitKey)));
        }
    }

    /**
     * Scans the region: the split key is the first key at which the running size passes {@code splitSize},
     * kept only if the region passes {@code maxSize} and the key is not the region's first (both halves must
     * hold data).
     */
    Measure measure(Region region) {
        byte[] start = Keys.dataKey(region.getStartKey().toByteArray());
        byte[] end = Keys.dataEndKey(region.getEndKey().toByteArray());
        long size = 0;
        byte[] splitAt = null;
        boolean first = true;
        try (CfIterator it = kv.iterator(ColumnFamilies.DEFAULT)) {
            for (it.seek(start); it.valid() && Arrays.compareUnsigned(it.key(), end) < 0; it.next()) {
                size += it.key().length + it.value().length;
                if (splitAt == null && size > splitSize && !first) {
                    splitAt = it.key();
                }
                first = false;
                if (size > maxSize && splitAt != null) {
                    break;
                }
            }
        }
        Optional<ByteString> splitKey = size > maxSize && splitAt != null
                ? Optional.of(ByteString.copyFrom(Keys.originKey(splitAt))) : Optional.empty();
        return new Measure(size, splitKey);
    }
}
