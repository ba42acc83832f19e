package tinykv.kv.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tinykv.proto.raft_serverpb.StoreIdent;

/** A store's engines across stop (close) and start (reopen), and the destruction of its location. */
@DisplayName("Engines and EngineLocation")
class EnginesTest {

    private static final byte[] KEY = {'z', 'k'};
    private static final StoreIdent IDENT = StoreIdent.newBuilder().setClusterId(1).setStoreId(3).build();

    /** Writes to both engines, stops, starts, and reads it all back. */
    private static void reopenKeepsData(EngineLocation location) {
        try (Engines engines = Engines.open(location)) {
            engines.kv().putCF(ColumnFamilies.WRITE, KEY, new byte[] {42});
            engines.raft().putMeta(new byte[] {1, 2}, IDENT);
        }
        try (Engines engines = Engines.open(location)) {
            assertThat(engines.kv().get(ColumnFamilies.WRITE, KEY)).hasValueSatisfying(v -> assertThat(v).containsExactly(42));
            assertThat(engines.raft().getMeta(new byte[] {1, 2}, StoreIdent.parser())).contains(IDENT);
        }
    }

    @Test
    @DisplayName("in memory: close then reopen keeps what was written")
    void reopenInMemory() {
        try (EngineLocation location = EngineLocation.inMemory("store 3")) {
            reopenKeepsData(location);
            assertThat(location.isInMemory()).isTrue();
        }
    }

    @Test
    @DisplayName("temporary directory: close then reopen keeps what was written; destroy removes the directory")
    void reopenInTemporaryDirectoryThenDestroy() {
        EngineLocation location = EngineLocation.inTemporaryDirectory("store 3");
        Path directory = location.directory();
        reopenKeepsData(location);
        assertThat(directory.resolve("kv")).isDirectory();
        location.close();
        assertThat(Files.exists(directory)).isFalse();
        location.close();
    }

    @Test
    @DisplayName("a kept directory survives close and opens again from a new location")
    void keptDirectory(@TempDir Path directory) {
        try (EngineLocation location = EngineLocation.inDirectory("store 3", directory)) {
            try (Engines engines = Engines.open(location)) {
                engines.kv().putCF(ColumnFamilies.DEFAULT, KEY, new byte[] {7});
            }
        }
        try (EngineLocation location = EngineLocation.inDirectory("store 3", directory);
                Engines engines = Engines.open(location)) {
            assertThat(engines.kv().get(ColumnFamilies.DEFAULT, KEY)).isPresent();
        }
    }

    @Test
    @DisplayName("the kv engine has default, write and lock; the raft engine only default")
    void columnFamilies() {
        try (EngineLocation location = EngineLocation.inMemory("store 1"); Engines engines = Engines.open(location)) {
            assertThat(engines.kv().columnFamilies()).containsExactly("default", "write", "lock");
            assertThat(engines.raft().columnFamilies()).containsExactly("default");
            assertThat(engines.raft().name()).isEqualTo("raft of store 1");
        }
    }

    @Test
    @DisplayName("destroying a location closes engines still open; opening twice or after destroy throws")
    void destroyWhileOpen() {
        EngineLocation location = EngineLocation.inMemory("store 2");
        Engines engines = Engines.open(location);
        engines.kv().snapshot();
        assertThatThrownBy(() -> Engines.open(location))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        location.close();
        assertThat(engines.isClosed()).isTrue();
        assertThat(engines.kv().isClosed()).isTrue();
        assertThatThrownBy(() -> engines.raft().get(ColumnFamilies.DEFAULT, KEY))
                .isInstanceOf(IllegalStateException.class).hasMessage("engine raft of store 2 is closed");
        assertThatThrownBy(() -> Engines.open(location))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
        engines.close();
    }

    @Test
    @DisplayName("destroying a temporary directory with engines open still removes it")
    void destroyTemporaryDirectoryWhileOpen() {
        EngineLocation location = EngineLocation.inTemporaryDirectory("store 4");
        Engines.open(location).kv().putCF(ColumnFamilies.LOCK, KEY, KEY);
        location.close();
        assertThat(Files.exists(location.directory())).isFalse();
    }
}
