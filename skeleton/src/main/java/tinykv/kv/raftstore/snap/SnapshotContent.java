package tinykv.kv.raftstore.snap;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.EngineReader;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.KeyValue;
import tinykv.proto.raft_serverpb.SnapshotCFFile;
import tinykv.proto.raft_serverpb.SnapshotMeta;

/**
 * A region's data at one point: every key-value pair of every column family within the region's range (what
 * TinyKV keeps in one snapshot file per column family). The bytes are the column families one after another,
 * each a run of length-delimited {@link KeyValue}s holding data keys; the {@link SnapshotMeta} gives each
 * run's size and CRC-32, so that a receiver can tell a complete, intact copy from anything else.
 */
public final class SnapshotContent {
    private final SnapshotMeta meta;
    private final ByteString bytes;

    private SnapshotContent(SnapshotMeta meta, ByteString bytes) {
        this.meta = meta;
        this.bytes = bytes;
    }

    /** Reads the region's data out of {@code kv}, which should be an engine snapshot taken with the states. */
    public static SnapshotContent scan(EngineReader kv, Region region) {
        byte[] start = Keys.dataKey(region.getStartKey().toByteArray());
        byte[] end = Keys.dataEndKey(region.getEndKey().toByteArray());
        SnapshotMeta.Builder meta = SnapshotMeta.newBuilder();
        List<ByteString> all = new ArrayList<>();
        for (String cf : ColumnFamilies.KV) {
            ByteString.Output run = ByteString.newOutput();
            try (CfIterator it = kv.iterator(cf)) {
                for (it.seek(start); it.valid() && Arrays.compareUnsigned(it.key(), end) < 0; it.next()) {
                    KeyValue.newBuilder().setKey(ByteString.copyFrom(it.key())).setValue(ByteString.copyFrom(it.value()))
                            .build().writeDelimitedTo(run);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // ByteString.Output is in memory: never thrown
            }
            ByteString runBytes = run.toByteString();
            meta.addCfFiles(SnapshotCFFile.newBuilder().setCf(cf).setSize(runBytes.size()).setChecksum(crc32(runBytes)));
            all.add(runBytes);
        }
        return new SnapshotContent(meta.build(), ByteString.copyFrom(all));
    }

    /**
     * The content of received {@code bytes}, if they are exactly what {@code meta} describes.
     *
     * @throws CorruptSnapshotException if a size or checksum does not match
     */
    public static SnapshotContent verified(SnapshotMeta meta, ByteString bytes) {
        List<ByteString> runs = runs(meta, bytes);
        long accounted = 0;
        for (int i = 0; i < runs.size(); i++) {
            if (crc32(runs.get(i)) != meta.getCfFiles(i).getChecksum()) {
                throw new CorruptSnapshotException("column family " + meta.getCfFiles(i).getCf() + " fails its checksum");
            }
            accounted += runs.get(i).size();
        }
        if (accounted != bytes.size()) {
            throw new CorruptSnapshotException(bytes.size() + " bytes received, the meta accounts for " + accounted);
        }
        return new SnapshotContent(meta, bytes);
    }

    /** Adds every key-value pair to {@code batch}. */
    public void writeTo(WriteBatch batch) {
        List<ByteString> runs = runs(meta, bytes);
        for (int i = 0; i < runs.size(); i++) {
            String cf = meta.getCfFiles(i).getCf();
            CodedInputStream in = runs.get(i).newCodedInput();
            try {
                while (!in.isAtEnd()) {
                    KeyValue pair = KeyValue.parseFrom(in.readBytes());
                    batch.setCF(cf, pair.getKey().toByteArray(), pair.getValue().toByteArray());
                }
            } catch (IOException e) {
                throw new CorruptSnapshotException("column family " + cf + " does not parse: " + e.getMessage());
            }
        }
    }

    /** The bytes cut into one run per column family, as the meta lists them. */
    private static List<ByteString> runs(SnapshotMeta meta, ByteString bytes) {
        List<ByteString> runs = new ArrayList<>(meta.getCfFilesCount());
        long offset = 0;
        for (SnapshotCFFile file : meta.getCfFilesList()) {
            if (file.getSize() < 0 || file.getSize() > bytes.size() - offset) { // a uint64 past 2^63 reads < 0
                throw new CorruptSnapshotException("column family " + file.getCf() + " runs past the end of the "
                        + bytes.size() + " bytes received");
            }
            runs.add(bytes.substring((int) offset, (int) (offset + file.getSize())));
            offset += file.getSize();
        }
        return runs;
    }

    public SnapshotMeta meta() {
        return meta;
    }

    public ByteString bytes() {
        return bytes;
    }

    public int size() {
        return bytes.size();
    }

    private static int crc32(ByteString bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes.asReadOnlyByteBuffer());
        return (int) crc.getValue();
    }

    /** Snapshot data that is not what its meta says it is: never applied. */
    public static final class CorruptSnapshotException extends RuntimeException {
        public CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
