package tinykv.kv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

    private static ByteString key(String text) {
        return ByteString.copyFromUtf8(text);
    }

    private static KeyRange range(String start, String end) {
        return new KeyRange(key(start), key(end));
    }

    @Test
    void startIsInsideAndEndIsOutside() {
        KeyRange range = range("b", "d");
        assertThat(range.contains(key("b"))).isTrue();
        assertThat(range.contains(key("c9"))).isTrue();
        assertThat(range.contains(key("d"))).isFalse();
        assertThat(range.contains(key("a"))).isFalse();
    }

    @Test
    void anEmptyEndHasNoBound() {
        KeyRange range = range("b", "");
        assertThat(range.isUnbounded()).isTrue();
        assertThat(range.contains(new byte[] {(byte) 0xff, (byte) 0xff})).isTrue();
        assertThat(range.isPastEnd(key("zzzz"))).isFalse();
        assertThat(KeyRange.ALL.contains(ByteString.EMPTY)).isTrue();
    }

    @Test
    void bytesCompareUnsigned() {
        KeyRange low = KeyRange.of(new byte[] {0x10}, new byte[] {(byte) 0x80});
        assertThat(low.contains(new byte[] {(byte) 0x7f})).isTrue();
        assertThat(low.contains(new byte[] {(byte) 0x90})).as("0x90 is above 0x80, not a negative byte").isFalse();
    }

    @Test
    void keyOrderIsProtobufsUnsignedOrder() {
        byte[] alphabet = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff};
        java.util.List<ByteString> keys = new java.util.ArrayList<>(java.util.List.of(ByteString.EMPTY));
        for (byte first : alphabet) {
            keys.add(ByteString.copyFrom(new byte[] {first}));
            for (byte second : alphabet) {
                keys.add(ByteString.copyFrom(new byte[] {first, second}));
            }
        }
        java.util.Comparator<ByteString> protobuf = ByteString.unsignedLexicographicalComparator();
        for (ByteString a : keys) {
            for (ByteString b : keys) {
                assertThat(Integer.signum(KeyRange.KEY_ORDER.compare(a, b)))
                        .as("order of %s and %s", a, b).isEqualTo(Integer.signum(protobuf.compare(a, b)));
            }
        }
    }

    @Test
    void rangesThatTouchDoNotOverlap() {
        assertThat(range("a", "c").overlaps(range("c", "e"))).isFalse();
        assertThat(range("a", "c").overlaps(range("b", "e"))).isTrue();
        assertThat(range("c", "").overlaps(range("a", "c"))).isFalse();
        assertThat(range("c", "").overlaps(range("a", ""))).isTrue();
        assertThat(range("c", "c").overlaps(KeyRange.ALL)).as("an empty range meets nothing").isFalse();
    }

    @Test
    void noEndSortsAfterEveryEnd() {
        assertThat(KeyRange.compareEnds(ByteString.EMPTY, key("zz"))).isPositive();
        assertThat(KeyRange.compareEnds(key("zz"), ByteString.EMPTY)).isNegative();
        assertThat(KeyRange.compareEnds(ByteString.EMPTY, ByteString.EMPTY)).isZero();
        assertThat(KeyRange.compareEnds(key("a"), key("b"))).isNegative();
    }

    @Test
    void aKeyExceedsAnEndKeyFromItOnButNeverAnEmptyOne() {
        assertThat(KeyRange.exceedsEndKey(key("c"), key("c"))).isTrue();
        assertThat(KeyRange.exceedsEndKey(key("c1"), key("c"))).isTrue();
        assertThat(KeyRange.exceedsEndKey(key("b"), key("c"))).isFalse();
        assertThat(KeyRange.exceedsEndKey(key("zz"), ByteString.EMPTY)).as("an empty end key is no end").isFalse();
        assertThat(KeyRange.exceedsEndKey(ByteString.copyFrom(new byte[] {(byte) 0x90}), ByteString.copyFrom(
                new byte[] {0x10}))).as("compared unsigned").isTrue();
    }

    @Test
    void aRangeThatStartsAfterItEndsIsRefused() {
        assertThatThrownBy(() -> range("d", "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[64, 62)");
    }
}
