package tinykv.kv.raftstore.snap;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.EngineSnapshot;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.kv.raftstore.snap.SnapshotContent.CorruptSnapshotException;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.proto.raft_serverpb.RegionLocalState;
import tinykv.proto.raft_serverpb.SnapshotCFFile;
import tinykv.proto.raft_serverpb.SnapshotMeta;

/**
 * A region's snapshot content (lab 2C): what a scan takes from the kv engine, the round trip to another
 * store's engine, and the check that refuses received bytes that are not exactly what the meta describes.
 * SnapshotContent is pure over engines: no event loop is needed.
 */
@DisplayName("SnapshotContent: scan, verify, write")
class SnapshotContentTest {

    /** The keys written to every column family; the region [b, d) holds exactly those marked in it. */
    private static final List<String> KEYS_OUTSIDE = List.of("", "a", "a\u00ff", "d", "d\u0000", "e", "\u00ff");
    private static final List<String> KEYS_INSIDE = List.of("b", "b\u0000", "bz", "c", "c\u00ff\u00ff");
    private static final Region B_TO_D = region(1, "b", "d");

    private EngineLocation sourceLocation;
    private EngineLocation targetLocation;
    private Engine source;
    private Engine target;

    @BeforeEach
    void openEngines() {
        sourceLocation = EngineLocation.inMemory("store 1");
        targetLocation = EngineLocation.inMemory("store 2");
        source = Engines.open(sourceLocation).kv();
        target = Engines.open(targetLocation).kv();
    }

    @AfterEach
    void destroyEngines() {
        sourceLocation.close();
        targetLocation.close();
    }

    // ---- scan ----

    @Test
    @DisplayName("a scan takes the region's keys [start, end) from all three column families, and nothing else")
    void scanTakesExactlyTheRegionsKeysInEveryColumnFamily() {
        writeFixture(source);

        SnapshotContent content = SnapshotContent.scan(source, B_TO_D);

        assertThat(pairsOf(content)).as("the pairs in the content, by column family")
                .containsExactlyElementsOf(expectedPairs(KEYS_INSIDE));
    }

    @Test
    @DisplayName("a region with empty start and end keys takes every data key, but no meta key")
    void scanOfTheWholeKeySpaceLeavesOutMetaKeys() {
        writeFixture(source);
        List<String> everyKey = new ArrayList<>(KEYS_OUTSIDE);
        everyKey.addAll(KEYS_INSIDE);
        everyKey.sort(SnapshotContentTest::compareUnsigned);

        SnapshotContent content = SnapshotContent.scan(source, region(1, "", ""));

        assertThat(pairsOf(content)).as("every data key of every column family, no apply or region state")
                .containsExactlyElementsOf(expectedPairs(everyKey));
    }

    @Test
    @DisplayName("the meta lists default, write and lock in that order, with sizes that add up to the content")
    void metaDescribesEachColumnFamilysRun() {
        writeFixture(source);

        SnapshotContent content = SnapshotContent.scan(source, B_TO_D);

        assertThat(content.meta().getCfFilesList()).extracting(SnapshotCFFile::getCf).as("column families")
                .containsExactly(ColumnFamilies.DEFAULT, ColumnFamilies.WRITE, ColumnFamilies.LOCK);
        assertThat(content.meta().getCfFilesList()).as("every column family has data in [b, d)")
                .allSatisfy(file -> assertThat(file.getSize()).as("size of " + file.getCf()).isPositive());
        assertThat(content.meta().getCfFilesList().stream().mapToLong(SnapshotCFFile::getSize).sum())
                .as("the sizes in the meta add up to the content's size").isEqualTo(content.size());
        assertThat(content.bytes().size()).as("bytes().size() is size()").isEqualTo(content.size());
    }

    @Test
    @DisplayName("a scan of an engine snapshot does not see what was written after the snapshot was taken")
    void scanOfAnEngineSnapshotIsConsistent() {
        writeFixture(source);
        try (EngineSnapshot snapshot = source.snapshot()) {
            source.putCF(ColumnFamilies.DEFAULT, dataKey("bb"), "later".getBytes(ISO_8859_1));
            source.deleteCF(ColumnFamilies.LOCK, dataKey("c"));

            SnapshotContent content = SnapshotContent.scan(snapshot, B_TO_D);

            assertThat(pairsOf(content)).as("the pairs as of the engine snapshot")
                    .containsExactlyElementsOf(expectedPairs(KEYS_INSIDE));
        }
    }

    @Test
    @DisplayName("an empty region gives an empty content that is valid and writes nothing")
    void emptyRegionGivesEmptyButValidContent() {
        writeFixture(source);
        Region empty = region(2, "bb", "bz"); // no key of the fixture falls in [bb, bz)

        SnapshotContent content = SnapshotContent.scan(source, empty);

        assertThat(content.size()).as("size of an empty region's content").isZero();
        assertThat(content.meta().getCfFilesList()).as("the meta still lists the three column families, empty")
                .extracting(SnapshotCFFile::getCf, SnapshotCFFile::getSize)
                .containsExactly(tuple(ColumnFamilies.DEFAULT, 0L),
                        tuple(ColumnFamilies.WRITE, 0L),
                        tuple(ColumnFamilies.LOCK, 0L));
        SnapshotContent received = SnapshotContent.verified(content.meta(), ByteString.EMPTY);
        WriteBatch batch = new WriteBatch();
        received.writeTo(batch);
        assertThat(batch.isEmpty()).as("an empty content adds nothing to the batch").isTrue();
    }

    // ---- round trip ----

    @Test
    @DisplayName("scan, then verified(meta, bytes), then writeTo into another engine gives the same region data")
    void roundTripIntoAnotherEngineGivesTheSameData() {
        writeFixture(source);
        SnapshotContent sent = SnapshotContent.scan(source, B_TO_D);

        SnapshotContent received = SnapshotContent.verified(sent.meta(), ByteString.copyFrom(sent.bytes().toByteArray()));
        WriteBatch batch = new WriteBatch();
        received.writeTo(batch);
        target.write(batch);

        assertThat(allPairs(target)).as("the second engine holds the region's data of the first, and only that")
                .containsExactlyElementsOf(expectedPairs(KEYS_INSIDE));
        assertThat(SnapshotContent.scan(target, B_TO_D).bytes()).as("a scan of the copy gives the same bytes")
                .isEqualTo(sent.bytes());
    }

    // ---- verified rejects anything else ----

    /** A way received data can differ from what was sent. */
    record Damage(String name, UnaryOperator<Received> apply, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a receiver holds: the meta from the raft message, the bytes from the chunks. */
    record Received(SnapshotMeta meta, ByteString bytes) {}

    static Stream<Damage> damages() {
        return Stream.of(
                new Damage("a byte flipped in the default run", r -> flipByteIn(r, 0), "default fails its checksum"),
                new Damage("a byte flipped in the write run", r -> flipByteIn(r, 1), "write fails its checksum"),
                new Damage("a byte flipped in the lock run", r -> flipByteIn(r, 2), "lock fails its checksum"),
                new Damage("the last byte missing", r -> new Received(r.meta(), r.bytes().substring(0, r.bytes().size() - 1)),
                        "lock runs past the end"),
                new Damage("half the bytes missing", r -> new Received(r.meta(), r.bytes().substring(0, r.bytes().size() / 2)),
                        "runs past the end"),
                new Damage("one extra byte at the end", r -> new Received(r.meta(), r.bytes().concat(ByteString.copyFrom(new byte[] {0}))),
                        "the meta accounts for"),
                new Damage("meta: default one byte longer, write one byte shorter (same total)",
                        r -> resize(resize(r, 0, +1), 1, -1), "default fails its checksum"),
                new Damage("meta: lock one byte longer", r -> resize(r, 2, +1), "lock runs past the end"),
                new Damage("meta: lock one byte shorter", r -> resize(r, 2, -1), "lock fails its checksum"),
                new Damage("meta: the lock run not listed", r -> new Received(
                        r.meta().toBuilder().removeCfFiles(2).build(), r.bytes()), "the meta accounts for"),
                new Damage("meta: a wrong checksum", r -> new Received(r.meta().toBuilder().setCfFiles(1,
                        r.meta().getCfFiles(1).toBuilder().setChecksum(r.meta().getCfFiles(1).getChecksum() ^ 1)).build(),
                        r.bytes()), "write fails its checksum"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    @DisplayName("verified refuses bytes that are not exactly what the meta describes")
    void verifiedRejectsDamagedData(Damage damage) {
        writeFixture(source);
        SnapshotContent sent = SnapshotContent.scan(source, B_TO_D);
        Received damaged = damage.apply().apply(new Received(sent.meta(), sent.bytes()));

        assertThatThrownBy(() -> SnapshotContent.verified(damaged.meta(), damaged.bytes()))
                .as("verified(meta, bytes) with %s", damage.name())
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining(damage.messagePart());
    }

    @Test
    @DisplayName("verified refuses a meta whose size is the largest uint64, as corrupt")
    void verifiedRejectsAHugeUnsignedSizeAsCorrupt() {
        writeFixture(source);
        SnapshotContent sent = SnapshotContent.scan(source, B_TO_D);
        SnapshotMeta huge = sent.meta().toBuilder()
                .setCfFiles(0, sent.meta().getCfFiles(0).toBuilder().setSize(-1L)) // 2^64 - 1 on the wire
                .build();

        assertThatThrownBy(() -> SnapshotContent.verified(huge, sent.bytes()))
                .as("verified with a default run of 2^64 - 1 bytes")
                .isInstanceOf(CorruptSnapshotException.class);
    }

    // ---- helpers ----

    private static Region region(long id, String start, String end) {
        return Region.newBuilder().setId(id)
                .setStartKey(ByteString.copyFrom(start, ISO_8859_1)).setEndKey(ByteString.copyFrom(end, ISO_8859_1))
                .build();
    }

    private static byte[] dataKey(String key) {
        return Keys.dataKey(key.getBytes(ISO_8859_1));
    }

    private static String valueOf(String cf, String key) {
        return cf + " value of " + show(key);
    }

    /** Every key inside and outside [b, d) in every column family, plus the region's apply and region states. */
    private static void writeFixture(Engine kv) {
        WriteBatch batch = new WriteBatch();
        for (String cf : ColumnFamilies.KV) {
            for (String key : KEYS_OUTSIDE) {
                batch.setCF(cf, dataKey(key), valueOf(cf, key).getBytes(ISO_8859_1));
            }
            for (String key : KEYS_INSIDE) {
                batch.setCF(cf, dataKey(key), valueOf(cf, key).getBytes(ISO_8859_1));
            }
        }
        batch.setMeta(Keys.applyStateKey(1), RaftApplyState.newBuilder().setAppliedIndex(9).build());
        batch.setMeta(Keys.regionStateKey(1), RegionLocalState.newBuilder().setRegion(B_TO_D).build());
        kv.write(batch);
    }

    /** "cf key=value" for each key in the order given, column family by column family (default, write, lock). */
    private static List<String> expectedPairs(List<String> keysInOrder) {
        List<String> pairs = new ArrayList<>();
        for (String cf : ColumnFamilies.KV) {
            for (String key : keysInOrder) {
                pairs.add(pair(cf, dataKey(key), valueOf(cf, key).getBytes(ISO_8859_1)));
            }
        }
        return pairs;
    }

    /** The content's pairs, read the way a receiver applies them: through writeTo into a fresh engine. */
    private List<String> pairsOf(SnapshotContent content) {
        WriteBatch batch = new WriteBatch();
        content.writeTo(batch);
        try (EngineLocation scratchLocation = EngineLocation.inMemory("scratch")) {
            Engine scratch = Engines.open(scratchLocation).kv();
            scratch.write(batch);
            return allPairs(scratch);
        }
    }

    /** Every pair of every column family of the kv engine, meta keys included. */
    private static List<String> allPairs(Engine kv) {
        List<String> pairs = new ArrayList<>();
        for (String cf : ColumnFamilies.KV) {
            try (CfIterator it = kv.iterator(cf)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    pairs.add(pair(cf, it.key(), it.value()));
                }
            }
        }
        return pairs;
    }

    private static String pair(String cf, byte[] key, byte[] value) {
        return cf + " " + show(new String(key, ISO_8859_1)) + "=" + show(new String(value, ISO_8859_1));
    }

    /** Printable characters as they are, the rest as \xNN, so that a failure shows every key. */
    private static String show(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    private static int compareUnsigned(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(ISO_8859_1), b.getBytes(ISO_8859_1));
    }

    private static Received flipByteIn(Received r, int cfIndex) {
        long offset = 0;
        for (int i = 0; i < cfIndex; i++) {
            offset += r.meta().getCfFiles(i).getSize();
        }
        int at = (int) (offset + r.meta().getCfFiles(cfIndex).getSize() / 2);
        byte[] bytes = r.bytes().toByteArray();
        bytes[at] ^= 0x01;
        return new Received(r.meta(), ByteString.copyFrom(bytes));
    }

    private static Received resize(Received r, int cfIndex, int delta) {
        SnapshotCFFile file = r.meta().getCfFiles(cfIndex);
        return new Received(r.meta().toBuilder().setCfFiles(cfIndex, file.toBuilder().setSize(file.getSize() + delta)).build(),
                r.bytes());
    }
}
