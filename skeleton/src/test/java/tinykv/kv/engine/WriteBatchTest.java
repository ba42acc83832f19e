package tinykv.kv.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tinykv.proto.raft_serverpb.StoreIdent;

@DisplayName("WriteBatch")
class WriteBatchTest {

    @Test
    @DisplayName("counts its changes; rollback drops what came after the safe point; clear empties it")
    void sizeSafePointAndClear() {
        WriteBatch batch = new WriteBatch();
        assertThat(batch.isEmpty()).isTrue();
        batch.setCF(ColumnFamilies.DEFAULT, "a".getBytes(UTF_8), "1".getBytes(UTF_8));
        batch.setSafePoint();
        batch.deleteCF(ColumnFamilies.LOCK, "b".getBytes(UTF_8));
        batch.setMeta("m".getBytes(UTF_8), StoreIdent.newBuilder().setStoreId(1).build());
        assertThat(batch.size()).isEqualTo(3);
        batch.rollbackToSafePoint();
        assertThat(batch.size()).isEqualTo(1);
        batch.clear();
        assertThat(batch.isEmpty()).isTrue();
        batch.deleteMeta("m".getBytes(UTF_8));
        batch.rollbackToSafePoint();
        assertThat(batch.isEmpty()).as("clear also resets the safe point").isTrue();
    }

    @Test
    @DisplayName("copies keys and values, so the caller may reuse its arrays")
    void copiesArrays() {
        WriteBatch batch = new WriteBatch();
        byte[] key = {1};
        byte[] value = {2};
        batch.setCF(ColumnFamilies.DEFAULT, key, value);
        key[0] = 9;
        value[0] = 9;
        WriteBatch.Put put = (WriteBatch.Put) batch.changes().get(0);
        assertThat(put.key()).containsExactly(1);
        assertThat(put.value()).containsExactly(2);
    }
}
