package tinykv.kv.storage;

import java.util.Arrays;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.metapb.Region;

/**
 * Wraps an iterator over data keys so that it behaves as if the column family held one region only, in
 * client keys: it starts at the region's start key and ends before its end key.
 */
final class RegionIterator implements CfIterator {
    private final CfIterator dataIterator;
    private final byte[] dataStart;
    private final byte[] dataEnd;

    RegionIterator(CfIterator dataIterator, Region region) {
        this.dataIterator = dataIterator;
        this.dataStart = Keys.dataKey(region.getStartKey().toByteArray());
        this.dataEnd = Keys.dataEndKey(region.getEndKey().toByteArray());
    }

    /** Seeking before the region's start lands on its first key; seeking at or past its end, on nothing. */
    @Override
    public void seek(byte[] key) {
        byte[] dataKey = Keys.dataKey(key);
        dataIterator.seek(Arrays.compareUnsigned(dataKey, dataStart) < 0 ? dataStart : dataKey);
    }

    @Override
    public void seekToFirst() {
        dataIterator.seek(dataStart);
    }

    @Override
    public boolean valid() {
        return dataIterator.valid() && Arrays.compareUnsigned(dataIterator.key(), dataEnd) < 0;
    }

    @Override
    public byte[] key() {
        ensureValid("key()");
        return Keys.originKey(dataIterator.key());
    }

    @Override
    public byte[] value() {
        ensureValid("value()");
        return dataIterator.value();
    }

    @Override
    public void next() {
        ensureValid("next()");
        dataIterator.next();
    }

    @Override
    public void close() {
        dataIterator.close();
    }

    private void ensureValid(String call) {
        if (!valid()) {
            throw new IllegalStateException(call + " on a region iterator that is not on a key (check valid())");
        }
    }
}
