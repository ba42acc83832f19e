package tinykv.history;

import java.util.List;
import java.util.Objects;

/** The answer to a {@link KvInput}, as the history records it. */
public sealed interface KvOutput {

    /** A put or delete succeeded. */
    record Ack() implements KvOutput {
        @Override
        public String toString() {
            return "ok";
        }
    }

    /** What a get read; the empty value is what the store answers for a key it does not hold. */
    record Value(String value) implements KvOutput {
        public Value {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return value.isEmpty() ? "(none)" : KvText.quote(value);
        }
    }

    /**
     * What a scan read: the rows in key order, of the keys in [scan start, {@code end}). A scan of several
     * regions is recorded as one scan per region, each with the end of its region's part of the range, since
     * each region answers from its own snapshot at its own moment.
     *
     * @param digest the sum of the rows' digests ({@link KvState#entryDigest}), computed by the constructor
     */
    record Rows(List<Row> rows, String end, long digest) implements KvOutput {
        /** The rows, their end, and the sum of the rows' digests, for the model's quick comparison. */
        public Rows(List<Row> rows, String end) {
            this(List.copyOf(rows), Objects.requireNonNull(end, "end"), digestOf(rows));
        }

        private static long digestOf(List<Row> rows) {
            long sum = 0;
            for (Row row : rows) {
                sum += KvState.entryDigest(KvState.slot(KvInput.DEFAULT_CF, row.key()), row.value());
            }
            return sum;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("[");
            for (Row row : rows) {
                text.append(text.length() > 1 ? ", " : "").append(KvText.quote(row.key())).append('=')
                        .append(KvText.quote(row.value()));
            }
            return text.append("] up to ").append(end.isEmpty() ? "the end" : KvText.quote(end)).toString();
        }
    }

    record Row(String key, String value) {
        public Row {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }
}
