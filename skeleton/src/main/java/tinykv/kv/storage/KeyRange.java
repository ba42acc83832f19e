package tinykv.kv.storage;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Comparator;
import java.util.HexFormat;
import tinykv.proto.metapb.Region;

/**
 * A range of client keys, {@code [start, end)}, in unsigned byte order; an empty end means "to the end of
 * the key space". Every question of the form "is this key in that region" or "do these two regions meet"
 * is answered here, so that the rule is written once.
 *
 * @param start the first key in the range (inclusive); empty for the start of the key space
 * @param end   the first key after the range (exclusive); empty for no end
 */
public record KeyRange(ByteString start, ByteString end) {
    /** The order of the key space: bytes compared as unsigned values, shorter prefix first. */
    public static final Comparator<ByteString> KEY_ORDER = KeyRange::compare;

    /** The whole key space. */
    public static final KeyRange ALL = new KeyRange(ByteString.EMPTY, ByteString.EMPTY);

    public KeyRange {
        requireNonNull(start, "start");
        requireNonNull(end, "end");
        if (!end.isEmpty() && KEY_ORDER.compare(start, end) > 0) {
            throw new IllegalArgumentException("a key range must not start after it ends: [" + hex(start) + ", "
                    + hex(end) + ")");
        }
    }

    /** The range a region covers. */
    public static KeyRange of(Region region) {
        return new KeyRange(region.getStartKey(), region.getEndKey());
    }

    public static KeyRange of(byte[] start, byte[] end) {
        return new KeyRange(ByteString.copyFrom(start), ByteString.copyFrom(end));
    }

    /** Whether the range has no end (its end key is empty). */
    public boolean isUnbounded() {
        return end.isEmpty();
    }

    public boolean contains(ByteString key) {
        return KEY_ORDER.compare(key, start) >= 0 && !isPastEnd(key);
    }

    public boolean contains(byte[] key) {
        return contains(view(key));
    }

    /** Whether {@code key} lies at or after the end of the range (never, for a range with no end). */
    public boolean isPastEnd(ByteString key) {
        return exceedsEndKey(key, end);
    }

    public boolean isPastEnd(byte[] key) {
        return isPastEnd(view(key));
    }

    /**
     * Whether {@code key} lies at or after {@code endKey}, an empty end key being no end (TinyKV's
     * {@code engine_util.ExceedEndKey}): for an end key that has no range yet, such as one a start key must
     * stay below.
     */
    public static boolean exceedsEndKey(ByteString key, ByteString endKey) {
        return !endKey.isEmpty() && KEY_ORDER.compare(key, endKey) >= 0;
    }

    /** Whether the two ranges share at least one key. An empty range ({@code start == end}) meets nothing. */
    public boolean overlaps(KeyRange other) {
        return !isEmptyRange() && !other.isEmptyRange() && !isPastEnd(other.start) && !other.isPastEnd(start);
    }

    /** Whether no key lies in the range. */
    public boolean isEmptyRange() {
        return !end.isEmpty() && start.equals(end);
    }

    /**
     * Compares two keys in the order of the key space. The same order as protobuf's
     * {@code ByteString.unsignedLexicographicalComparator()}, without its two iterators per call: keys are
     * short and compared on every lookup of a region, a row of a scan and a check of a range.
     */
    public static int compare(ByteString a, ByteString b) {
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            int difference = Byte.toUnsignedInt(a.byteAt(i)) - Byte.toUnsignedInt(b.byteAt(i));
            if (difference != 0) {
                return difference;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * Compares two end keys, an empty one (no end) after every other: the order of a map of ranges by their
     * end key.
     */
    public static int compareEnds(ByteString a, ByteString b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        return KEY_ORDER.compare(a, b);
    }

    /** {@code [6b31, 6b35)} or {@code [6b31, +inf)}: the keys in hex, for messages. */
    @Override
    public String toString() {
        return "[" + hex(start) + ", " + (end.isEmpty() ? "+inf" : hex(end)) + ")";
    }

    /** A key to compare, without a copy: the bytes are read here and not kept. */
    private static ByteString view(byte[] key) {
        return UnsafeByteOperations.unsafeWrap(key);
    }

    private static String hex(ByteString key) {
        return HexFormat.of().formatHex(key.toByteArray());
    }
}
