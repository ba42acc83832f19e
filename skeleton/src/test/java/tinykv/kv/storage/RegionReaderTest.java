package tinykv.kv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engine;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.EngineSnapshot;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.metapb.Region;

/** A region's view of a snapshot: only its keys, in client form. */
@DisplayName("RegionReader")
class RegionReaderTest {

    private EngineLocation location;
    private Engine kv;

    @BeforeEach
    void open() {
        location = EngineLocation.inMemory("store 1");
        kv = Engines.open(location).kv();
        // Client keys a..e, a meta key in the same CF, and a key in another CF.
        for (String key : List.of("a", "b", "c", "d", "e")) {
            kv.putCF(ColumnFamilies.DEFAULT, Keys.dataKey(b(key)), b(key.toUpperCase()));
        }
        kv.putCF(ColumnFamilies.DEFAULT, Keys.storeIdentKey(), b("meta"));
        kv.putCF(ColumnFamilies.LOCK, Keys.dataKey(b("c")), b("lock"));
    }

    @AfterEach
    void destroy() {
        location.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static Region region(String start, String end) {
        return Region.newBuilder().setId(1)
                .setStartKey(ByteString.copyFromUtf8(start)).setEndKey(ByteString.copyFromUtf8(end)).build();
    }

    private static List<String> scan(CfIterator it, String from) {
        List<String> seen = new ArrayList<>();
        for (it.seek(b(from)); it.valid(); it.next()) {
            seen.add(new String(it.key(), UTF_8) + "=" + new String(it.value(), UTF_8));
        }
        return seen;
    }

    @Test
    @DisplayName("iterates only [start, end), in client keys; seeking before the start lands on the start")
    void boundedRegion() {
        try (RegionReader reader = new RegionReader(kv.snapshot(), region("b", "d"));
                CfIterator it = reader.iterCF(ColumnFamilies.DEFAULT)) {
            assertThat(scan(it, "")).containsExactly("b=B", "c=C");
            assertThat(scan(it, "c")).containsExactly("c=C");
            assertThat(scan(it, "d")).isEmpty();
            it.seekToFirst();
            assertThat(it.key()).containsExactly(b("b"));
        }
    }

    @Test
    @DisplayName("an empty start and end key cover every client key, and no meta key")
    void unboundedRegion() {
        try (RegionReader reader = new RegionReader(kv.snapshot(), region("", ""));
                CfIterator it = reader.iterCF(ColumnFamilies.DEFAULT)) {
            assertThat(scan(it, "")).containsExactly("a=A", "b=B", "c=C", "d=D", "e=E");
        }
        try (RegionReader reader = new RegionReader(kv.snapshot(), region("d", ""));
                CfIterator it = reader.iterCF(ColumnFamilies.LOCK)) {
            assertThat(scan(it, "")).as("column family lock, from d").isEmpty();
        }
    }

    @Test
    @DisplayName("getCF reads the snapshot in client keys and refuses keys outside the region")
    void getCF() {
        try (RegionReader reader = new RegionReader(kv.snapshot(), region("b", "d"))) {
            kv.putCF(ColumnFamilies.DEFAULT, Keys.dataKey(b("b")), b("after the snapshot"));
            assertThat(reader.getCF(ColumnFamilies.DEFAULT, b("b"))).hasValueSatisfying(
                    v -> assertThat(v).containsExactly(b("B")));
            assertThat(reader.getCF(ColumnFamilies.LOCK, b("c"))).isPresent();
            assertThat(reader.getCF(ColumnFamilies.LOCK, b("b"))).isEmpty();
            assertThatThrownBy(() -> reader.getCF(ColumnFamilies.DEFAULT, b("d")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in region 1");
            assertThatThrownBy(() -> reader.getCF(ColumnFamilies.DEFAULT, b("a")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @DisplayName("closing the reader closes its snapshot and iterators")
    void closeReleasesSnapshot() {
        EngineSnapshot snapshot = kv.snapshot();
        RegionReader reader = new RegionReader(snapshot, region("", ""));
        CfIterator it = reader.iterCF(ColumnFamilies.DEFAULT);
        reader.close();
        assertThat(snapshot.isClosed()).isTrue();
        assertThatThrownBy(it::seekToFirst).isInstanceOf(IllegalStateException.class);
    }
}
