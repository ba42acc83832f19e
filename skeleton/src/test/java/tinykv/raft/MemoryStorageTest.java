package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;

@DisplayName("MemoryStorage")
class MemoryStorageTest {

    private static Entry entry(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).build();
    }

    /** Entries 3..5 after a snapshot at index 3, term 3 (the dummy). */
    private static MemoryStorage storageFrom3To5() {
        return MemoryStorage.withEntries(List.of(entry(3, 3), entry(4, 4), entry(5, 5)));
    }

    @Test
    @DisplayName("a new storage holds only the dummy entry at index 0, term 0")
    void newStorageIsEmpty() {
        MemoryStorage storage = new MemoryStorage();
        assertThat(storage.firstIndex()).isEqualTo(1);
        assertThat(storage.lastIndex()).isZero();
        assertThat(storage.term(0)).isZero();
        assertThat(storage.entries(1, 1)).isEmpty();
        assertThat(storage.initialState().hardState()).isEqualTo(HardState.getDefaultInstance());
        assertThat(Snapshots.isEmpty(storage.snapshot())).isTrue();
    }

    @Test
    @DisplayName("term answers from the snapshot's index to the last index, and names why elsewhere")
    void term() {
        MemoryStorage storage = storageFrom3To5();
        assertThat(storage.term(3)).isEqualTo(3);
        assertThat(storage.term(5)).isEqualTo(5);
        assertThatThrownBy(() -> storage.term(2)).isInstanceOf(StorageException.Compacted.class);
        assertThatThrownBy(() -> storage.term(6)).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    @DisplayName("entries returns [lo, hi) after the snapshot")
    void entries() {
        MemoryStorage storage = storageFrom3To5();
        assertThat(storage.entries(4, 6)).containsExactly(entry(4, 4), entry(5, 5));
        assertThat(storage.entries(4, 5)).containsExactly(entry(4, 4));
        assertThatThrownBy(() -> storage.entries(3, 5)).isInstanceOf(StorageException.Compacted.class);
        assertThatThrownBy(() -> storage.entries(4, 7)).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    @DisplayName("append replaces conflicting entries, ignores compacted ones, and refuses a gap")
    void append() {
        MemoryStorage storage = storageFrom3To5();
        storage.append(List.of(entry(5, 6), entry(6, 6)));
        assertThat(storage.entries(4, 7)).containsExactly(entry(4, 4), entry(5, 6), entry(6, 6));

        storage.append(List.of(entry(2, 2), entry(3, 3), entry(4, 4)));
        assertThat(storage.lastIndex()).as("entries at and below the snapshot are ignored, 4 replaces the rest").isEqualTo(4);

        assertThatThrownBy(() -> storage.append(List.of(entry(6, 6))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing log entries");
        assertThatThrownBy(() -> storage.append(List.of(entry(5, 6), entry(7, 6))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not consecutive");
    }

    @Test
    @DisplayName("compact moves the dummy entry forward and keeps its term")
    void compact() {
        MemoryStorage storage = storageFrom3To5();
        storage.compact(4);
        assertThat(storage.firstIndex()).isEqualTo(5);
        assertThat(storage.term(4)).isEqualTo(4);
        assertThat(storage.entries(5, 6)).containsExactly(entry(5, 5));
        assertThatThrownBy(() -> storage.compact(4)).isInstanceOf(StorageException.Compacted.class);
        assertThatThrownBy(() -> storage.compact(6)).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    @DisplayName("createSnapshot records index, term, membership and data; older ones are refused")
    void createSnapshot() {
        MemoryStorage storage = storageFrom3To5();
        ConfState members = ConfState.newBuilder().addNodes(1).addNodes(2).build();
        Snapshot snapshot = storage.createSnapshot(4, members, ByteString.copyFromUtf8("data"));
        assertThat(snapshot.getMetadata().getIndex()).isEqualTo(4);
        assertThat(snapshot.getMetadata().getTerm()).isEqualTo(4);
        assertThat(snapshot.getMetadata().getConfState()).isEqualTo(members);
        assertThat(snapshot.getData().toStringUtf8()).isEqualTo("data");
        assertThat(storage.snapshot()).isEqualTo(snapshot);
        assertThatThrownBy(() -> storage.createSnapshot(4, null, ByteString.EMPTY))
                .isInstanceOf(StorageException.SnapshotOutOfDate.class);
    }

    @Test
    @DisplayName("applySnapshot restarts the log after the snapshot; an older snapshot is refused")
    void applySnapshot() {
        MemoryStorage storage = new MemoryStorage();
        Snapshot snapshot = Snapshot.newBuilder()
                .setMetadata(SnapshotMetadata.newBuilder()
                        .setIndex(4).setTerm(4).setConfState(ConfState.newBuilder().addNodes(1)))
                .build();
        storage.applySnapshot(snapshot);
        assertThat(storage.firstIndex()).isEqualTo(5);
        assertThat(storage.lastIndex()).isEqualTo(4);
        assertThat(storage.term(4)).isEqualTo(4);
        assertThat(storage.initialState().confState().getNodesList()).containsExactly(1L);
        assertThatThrownBy(() -> storage.applySnapshot(snapshot)).isInstanceOf(StorageException.SnapshotOutOfDate.class);
    }
}
