package tinykv.history;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of the key-value model: the value of each key that has one, per column family. A value: every
 * change makes a new state (a copy; parts of a history hold a few hundred keys at most), and the hash code
 * is kept up to date so that the checker's cache looks states up in constant time.
 */
final class KvState {
    static final KvState EMPTY = new KvState(new TreeMap<>(), 0);

    /** Keys are column family, a NUL, then the key: the NUL keeps each family's keys together and in order. */
    private final TreeMap<String, String> values;
    private final int hash;

    private KvState(TreeMap<String, String> values, int hash) {
        this.values = values;
        this.hash = hash;
    }

    static String slot(String cf, String key) {
        return cf + '\0' + key;
    }

    /** The value of a key, or null if it has none. */
    String get(String cf, String key) {
        return values.get(slot(cf, key));
    }

    KvState put(String cf, String key, String value) {
        String slot = slot(cf, key);
        String old = values.get(slot);
        if (value.equals(old)) {
            return this;
        }
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.put(slot, value);
        return new KvState(copy, hash - entryHash(slot, old) + entryHash(slot, value));
    }

    KvState delete(String cf, String key) {
        String slot = slot(cf, key);
        String old = values.get(slot);
        if (old == null) {
            return this;
        }
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.remove(slot);
        return new KvState(copy, hash - entryHash(slot, old));
    }

    /** The default column family's values of the keys in [start, end) (empty end: to the end), in key order. */
    NavigableMap<String, String> range(String start, String end) {
        String from = slot(KvInput.DEFAULT_CF, start);
        NavigableMap<String, String> part = end.isEmpty()
                ? values.subMap(from, true, slot(KvInput.DEFAULT_CF, "") + '\uffff', false)
                : values.subMap(from, true, slot(KvInput.DEFAULT_CF, end), false);
        return Collections.unmodifiableNavigableMap(part);
    }

    private static int entryHash(String slot, String value) {
        return value == null ? 0 : slot.hashCode() * 31 + value.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvState state && state.hash == hash && state.values.equals(values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return values.toString().replace('\0', ':');
    }
}
