package tinykv.history;

import java.util.Objects;

/**
 * A client operation on the key-value store, as the history records it. Keys and values are the bytes the
 * client sent, held as ISO-8859-1 text: one character per byte, so text order is unsigned byte order and
 * the kit's printable test keys read as themselves.
 */
public sealed interface KvInput {
    /** The column family scans read. */
    String DEFAULT_CF = "default";

    record Put(String cf, String key, String value) implements KvInput {
        public Put {
            Objects.requireNonNull(cf, "cf");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "put(" + KvText.key(cf, key) + ", " + KvText.quote(value) + ")";
        }
    }

    record Get(String cf, String key) implements KvInput {
        public Get {
            Objects.requireNonNull(cf, "cf");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "get(" + KvText.key(cf, key) + ")";
        }
    }

    record Delete(String cf, String key) implements KvInput {
        public Delete {
            Objects.requireNonNull(cf, "cf");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String toString() {
            return "delete(" + KvText.key(cf, key) + ")";
        }
    }

    /** The default column family's keys in [start, end); an empty end is the end of the key space. */
    record Scan(String start, String end) implements KvInput {
        public Scan {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isEmpty() && start.compareTo(end) > 0) {
                throw new IllegalArgumentException("a scan must not start after it ends: [" + KvText.quote(start)
                        + ", " + KvText.quote(end) + ")");
            }
        }

        /** Whether {@code key} lies in [start, end). */
        public boolean covers(String key) {
            return key.compareTo(start) >= 0 && (end.isEmpty() || key.compareTo(end) < 0);
        }

        @Override
        public String toString() {
            return "scan[" + KvText.quote(start) + ", " + (end.isEmpty() ? "end" : KvText.quote(end)) + ")";
        }
    }
}
