package tinykv.kv.raftstore.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The byte formats of TinyKV's meta/keys.go. */
@DisplayName("Keys")
class KeysTest {

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    @Test
    @DisplayName("the region keys have TinyKV's exact bytes")
    void exactBytes() {
        assertThat(hex(Keys.raftLogKey(1, 2))).isEqualTo("0102" + "0000000000000001" + "01" + "0000000000000002");
        assertThat(hex(Keys.raftStateKey(1))).isEqualTo("0102" + "0000000000000001" + "02");
        assertThat(hex(Keys.applyStateKey(1))).isEqualTo("0102" + "0000000000000001" + "03");
        assertThat(hex(Keys.regionStateKey(1))).isEqualTo("0103" + "0000000000000001" + "01");
        assertThat(hex(Keys.regionRaftPrefixKey(258))).isEqualTo("0102" + "0000000000000102");
        assertThat(hex(Keys.regionMetaPrefixKey(258))).isEqualTo("0103" + "0000000000000102");
        assertThat(hex(Keys.raftLogPrefix(1))).isEqualTo("0102" + "0000000000000001" + "01");
        assertThat(hex(Keys.prepareBootstrapKey())).isEqualTo("0101");
        assertThat(hex(Keys.storeIdentKey())).isEqualTo("0102");
        assertThat(hex(Keys.regionMetaMinKey())).isEqualTo("0103");
        assertThat(hex(Keys.regionMetaMaxKey())).isEqualTo("0104");
        assertThat(hex(Keys.maxKey())).isEqualTo("ff");
        assertThat(Keys.minKey()).isEmpty();
    }

    @Test
    @DisplayName("raft log keys sort by region, then by index, across byte boundaries and above 2^63")
    void raftLogKeysSortByIndex() {
        long[] indexes = {0, 1, 2, 255, 256, 65_536, Long.MAX_VALUE, Long.MIN_VALUE, -1};
        List<byte[]> keys = new ArrayList<>();
        for (long region : new long[] {1, 2}) {
            for (long index : indexes) {
                keys.add(Keys.raftLogKey(region, index));
            }
        }
        for (int i = 1; i < keys.size(); i++) {
            assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).as("key %d before key %d", i - 1, i).isNegative();
        }
        assertThat(Keys.raftLogIndex(Keys.raftLogKey(9, 65_536))).isEqualTo(65_536);
        assertThat(Arrays.compareUnsigned(Keys.raftLogKey(1, -1), Keys.raftStateKey(1)))
                .as("every log key of a region sorts before its raft state").isNegative();
        assertThatThrownBy(() -> Keys.raftLogIndex(Keys.raftStateKey(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("data keys round-trip, sort after every local key, and an empty end key maps to the data max")
    void dataKeys() {
        byte[] key = {0, 'a', (byte) 0xff};
        byte[] dataKey = Keys.dataKey(key);
        assertThat(hex(dataKey)).isEqualTo("7a0061ff");
        assertThat(Keys.isDataKey(dataKey)).isTrue();
        assertThat(Keys.originKey(dataKey)).containsExactly(key);
        assertThat(Keys.dataKey(new byte[0])).containsExactly(Keys.dataMinKey());
        assertThat(Keys.dataEndKey(new byte[0])).containsExactly(Keys.dataMaxKey());
        assertThat(Keys.dataEndKey(key)).containsExactly(dataKey);
        assertThat(Arrays.compareUnsigned(Keys.localMaxKey(), Keys.dataMinKey())).isNegative();
        assertThat(Arrays.compareUnsigned(Keys.dataKey(new byte[] {(byte) 0xff, (byte) 0xff}), Keys.dataMaxKey()))
                .isNegative();
        assertThat(Keys.isDataKey(Keys.raftStateKey(1))).isFalse();
        assertThatThrownBy(() -> Keys.originKey(Keys.raftStateKey(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a region state key decodes to its region and suffix; other keys are refused")
    void decodeRegionMetaKey() {
        assertThat(Keys.decodeRegionMetaKey(Keys.regionStateKey(77)))
                .isEqualTo(new Keys.RegionMetaKey(77, Keys.REGION_STATE_SUFFIX));
        assertThatThrownBy(() -> Keys.decodeRegionMetaKey(Keys.applyStateKey(77)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Keys.decodeRegionMetaKey(Keys.regionMetaPrefixKey(77)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThat(Keys.isRaftStateKey(Keys.raftStateKey(3))).isTrue();
        assertThat(Keys.isRaftStateKey(Keys.raftLogKey(3, 1))).isFalse();
    }

    @Test
    @DisplayName("fixed keys are fresh arrays, so nobody can change them for everyone")
    void fixedKeysAreCopies() {
        Keys.maxKey()[0] = 0;
        assertThat(Keys.maxKey()).containsExactly(0xff);
    }
}
