package tinykv.kv.engine;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes to one engine that must happen together: {@link Engine#write} applies all of them or none,
 * and no reader ever sees half of them. Apply, for instance, puts a command's data and the new apply
 * state in one batch, so a restart never finds data without the index that says it was applied.
 *
 * <p>A plain Java list until it is written (no native memory to free, nothing to close); it may be
 * reused after {@link #clear()}. Keys and values are copied when added, so callers may reuse arrays.
 * Later changes win over earlier ones to the same key, as in TinyKV.
 */
public final class WriteBatch {

    /** One change, as {@link Engine#write} replays it into RocksDB. */
    sealed interface Change {
        String cf();
    }

    record Put(String cf, byte[] key, byte[] value) implements Change {}

    record Delete(String cf, byte[] key) implements Change {}

    /** Deletes every key in [start, end). */
    record DeleteRange(String cf, byte[] start, byte[] end) implements Change {}

    private final List<Change> changes = new ArrayList<>();
    /** How many changes to keep on {@link #rollbackToSafePoint()}. */
    private int safePoint;

    /** Sets {@code key} to {@code value} in column family {@code cf}. */
    public void setCF(String cf, byte[] key, byte[] value) {
        changes.add(new Put(requireNonNull(cf, "cf"), copy(key, "key"), copy(value, "value")));
    }

    /** Deletes {@code key} from column family {@code cf}; deleting a missing key is harmless. */
    public void deleteCF(String cf, byte[] key) {
        changes.add(new Delete(requireNonNull(cf, "cf"), copy(key, "key")));
    }

    /** Deletes every key {@code >= start} and {@code < end} from column family {@code cf}. */
    public void deleteRangeCF(String cf, byte[] start, byte[] end) {
        changes.add(new DeleteRange(requireNonNull(cf, "cf"), copy(start, "start"), copy(end, "end")));
    }

    /** Stores a protobuf message under a meta key (in the default column family). */
    public void setMeta(byte[] key, Message message) {
        setCF(ColumnFamilies.DEFAULT, key, requireNonNull(message, "message").toByteArray());
    }

    /** Deletes a meta key. */
    public void deleteMeta(byte[] key) {
        deleteCF(ColumnFamilies.DEFAULT, key);
    }

    /** How many changes the batch holds (a change to the same key twice counts twice). */
    public int size() {
        return changes.size();
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Remembers the current end of the batch, for {@link #rollbackToSafePoint()}. */
    public void setSafePoint() {
        safePoint = changes.size();
    }

    /**
     * Drops every change added since the last {@link #setSafePoint()} (all of them if none was set).
     * Apply uses this to undo a command that fails half-way, keeping the commands before it.
     */
    public void rollbackToSafePoint() {
        changes.subList(safePoint, changes.size()).clear();
    }

    /** Empties the batch, e.g. after it has been written, so it can be reused. */
    public void clear() {
        changes.clear();
        safePoint = 0;
    }

    /** The changes in the order they were added; for {@link Engine#write}. */
    List<Change> changes() {
        return changes;
    }

    private static byte[] copy(byte[] bytes, String what) {
        return requireNonNull(bytes, what).clone();
    }
}
