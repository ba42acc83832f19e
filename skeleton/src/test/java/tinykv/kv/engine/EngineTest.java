package tinykv.kv.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tinykv.proto.raft_serverpb.StoreIdent;

/** One engine's reads, writes, snapshots and iterators, on both kinds of location. */
@DisplayName("Engine")
class EngineTest {

    record Kind(String name, Function<String, EngineLocation> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Kind> kinds() {
        return List.of(new Kind("in memory", EngineLocation::inMemory),
                new Kind("temporary directory", EngineLocation::inTemporaryDirectory));
    }

    private EngineLocation location;

    private Engine kvEngine(Kind kind) {
        location = kind.create().apply("store 1");
        return Engines.open(location).kv();
    }

    @AfterEach
    void destroy() {
        if (location != null) {
            location.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    private static String read(EngineReader reader, String cf, String key) {
        return reader.get(cf, b(key)).map(EngineTest::s).orElse(null);
    }

    private static List<String> keys(CfIterator it) {
        List<String> keys = new ArrayList<>();
        for (it.seekToFirst(); it.valid(); it.next()) {
            keys.add(s(it.key()) + "=" + s(it.value()));
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("a write batch applies all its changes, in order, and a batch naming an unknown CF applies none")
    void writeBatchIsAtomic(Kind kind) {
        Engine engine = kvEngine(kind);
        WriteBatch batch = new WriteBatch();
        batch.setCF(ColumnFamilies.DEFAULT, b("a"), b("1"));
        batch.setCF(ColumnFamilies.WRITE, b("b"), b("2"));
        batch.setCF(ColumnFamilies.DEFAULT, b("c"), b("3"));
        batch.deleteCF(ColumnFamilies.DEFAULT, b("c"));
        engine.write(batch);
        assertThat(read(engine, ColumnFamilies.DEFAULT, "a")).isEqualTo("1");
        assertThat(read(engine, ColumnFamilies.WRITE, "b")).isEqualTo("2");
        assertThat(read(engine, ColumnFamilies.DEFAULT, "c")).as("deleted later in the same batch").isNull();

        WriteBatch bad = new WriteBatch();
        bad.setCF(ColumnFamilies.DEFAULT, b("x"), b("1"));
        bad.setCF("nope", b("y"), b("2"));
        assertThatThrownBy(() -> engine.write(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("kv of store 1");
        assertThat(read(engine, ColumnFamilies.DEFAULT, "x")).as("nothing of a rejected batch").isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("column families are separate key spaces")
    void columnFamiliesAreIsolated(Kind kind) {
        Engine engine = kvEngine(kind);
        engine.putCF(ColumnFamilies.DEFAULT, b("k"), b("d"));
        engine.putCF(ColumnFamilies.LOCK, b("k"), b("l"));
        assertThat(read(engine, ColumnFamilies.DEFAULT, "k")).isEqualTo("d");
        assertThat(read(engine, ColumnFamilies.LOCK, "k")).isEqualTo("l");
        assertThat(read(engine, ColumnFamilies.WRITE, "k")).isNull();
        engine.deleteCF(ColumnFamilies.LOCK, b("k"));
        assertThat(read(engine, ColumnFamilies.LOCK, "k")).isNull();
        assertThat(read(engine, ColumnFamilies.DEFAULT, "k")).isEqualTo("d");
        try (CfIterator it = engine.iterator(ColumnFamilies.DEFAULT)) {
            assertThat(keys(it)).containsExactly("k=d");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("a snapshot does not see writes made after it, in gets or iterators")
    void snapshotIsolation(Kind kind) {
        Engine engine = kvEngine(kind);
        engine.putCF(ColumnFamilies.DEFAULT, b("a"), b("old"));
        try (EngineSnapshot snapshot = engine.snapshot()) {
            engine.putCF(ColumnFamilies.DEFAULT, b("a"), b("new"));
            engine.putCF(ColumnFamilies.DEFAULT, b("b"), b("new"));
            assertThat(read(snapshot, ColumnFamilies.DEFAULT, "a")).isEqualTo("old");
            assertThat(read(snapshot, ColumnFamilies.DEFAULT, "b")).isNull();
            try (CfIterator it = snapshot.iterator(ColumnFamilies.DEFAULT)) {
                assertThat(keys(it)).containsExactly("a=old");
            }
        }
        assertThat(read(engine, ColumnFamilies.DEFAULT, "a")).isEqualTo("new");
        assertThat(engine.openResourceCount()).as("snapshot and iterator released").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("an iterator seeks to the first key >= the target and walks in unsigned byte order")
    void iteratorOrderAndSeek(Kind kind) {
        Engine engine = kvEngine(kind);
        for (String key : List.of("b", "d", "a", "c")) {
            engine.putCF(ColumnFamilies.WRITE, b(key), b(key.toUpperCase()));
        }
        engine.putCF(ColumnFamilies.WRITE, new byte[] {(byte) 0xff}, b("high"));
        try (CfIterator it = engine.iterator(ColumnFamilies.WRITE)) {
            it.seek(b("bb"));
            assertThat(s(it.key())).isEqualTo("c");
            it.next();
            assertThat(s(it.value())).isEqualTo("D");
            it.next();
            assertThat(it.key()).as("0xff sorts after ASCII").containsExactly((byte) 0xff);
            it.next();
            assertThat(it.valid()).isFalse();
            assertThatThrownBy(it::key).isInstanceOf(IllegalStateException.class).hasMessageContaining("valid()");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("meta messages round-trip, and deleteRange drops [start, end) from every CF")
    void metaAndDeleteRange(Kind kind) {
        Engine engine = kvEngine(kind);
        StoreIdent ident = StoreIdent.newBuilder().setClusterId(7).setStoreId(1).build();
        engine.putMeta(b("ident"), ident);
        assertThat(engine.getMeta(b("ident"), StoreIdent.parser())).contains(ident);
        assertThat(engine.getMeta(b("none"), StoreIdent.parser())).isEmpty();

        for (String cf : ColumnFamilies.KV) {
            for (String key : List.of("k1", "k2", "k3")) {
                engine.putCF(cf, b(key), b("v"));
            }
        }
        engine.deleteRange(b("k1"), b("k3"));
        for (String cf : ColumnFamilies.KV) {
            assertThat(read(engine, cf, "k1")).as(cf).isNull();
            assertThat(read(engine, cf, "k2")).as(cf).isNull();
            assertThat(read(engine, cf, "k3")).as(cf + ": the end is excluded").isEqualTo("v");
        }
        engine.deleteRange(b("k9"), b("k1"));
        assertThat(read(engine, ColumnFamilies.DEFAULT, "k3")).as("an empty range deletes nothing").isEqualTo("v");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("closing twice is harmless; any use after close throws a clear IllegalStateException")
    void useAfterClose(Kind kind) {
        Engine engine = kvEngine(kind);
        engine.putCF(ColumnFamilies.DEFAULT, b("a"), b("1"));
        EngineSnapshot snapshot = engine.snapshot();
        CfIterator snapshotIterator = snapshot.iterator(ColumnFamilies.DEFAULT);
        CfIterator liveIterator = engine.iterator(ColumnFamilies.DEFAULT);
        liveIterator.seekToFirst();

        engine.close();
        engine.close();

        assertThat(engine.isClosed()).isTrue();
        assertThat(snapshot.isClosed()).as("closing the engine closes its snapshots").isTrue();
        assertThatThrownBy(() -> engine.get(ColumnFamilies.DEFAULT, b("a")))
                .isInstanceOf(IllegalStateException.class).hasMessage("engine kv of store 1 is closed");
        assertThatThrownBy(() -> engine.write(new WriteBatch())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(engine::snapshot).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.iterator(ColumnFamilies.DEFAULT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> snapshot.get(ColumnFamilies.DEFAULT, b("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("snapshot of engine kv of store 1");
        assertThatThrownBy(liveIterator::valid)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(snapshotIterator::next).isInstanceOf(IllegalStateException.class);
        snapshot.close();
        liveIterator.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    @DisplayName("an unknown column family is refused by name, on reads too")
    void unknownColumnFamily(Kind kind) {
        Engine engine = kvEngine(kind);
        assertThatThrownBy(() -> engine.get("writes", b("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'writes'");
        assertThatThrownBy(() -> engine.iterator("writes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(engine.openResourceCount()).isZero();
    }
}
