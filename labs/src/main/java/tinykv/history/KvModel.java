package tinykv.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key-value store as a sequential specification: puts, gets and deletes on one key of a column family,
 * and scans of a range of the default column family, all of one store with no transactions.
 *
 * <p>Histories are split by key: operations on different keys never constrain each other, so each key is
 * checked alone. A scan ties together every key of the history in its range (the values it returned, and
 * the absence of the keys it did not, are both something it saw), so those keys are checked as one part. In
 * the kit's workloads each client owns its keys and scans only its own, which keeps the parts small.
 */
public final class KvModel implements Model<KvInput, KvOutput, KvState> {
    public static final KvModel INSTANCE = new KvModel();

    private KvModel() {}

    @Override
    public KvState initial() {
        return KvState.EMPTY;
    }

    /** Checks once per operation what {@link #step} then takes for granted. */
    @Override
    public void validate(Operation<KvInput, KvOutput> op) {
        Object input = op.input(); // as Object: a history built from raw types may hold anything here
        KvOutput output = op.output();
        if (input instanceof KvInput.Put || input instanceof KvInput.Delete) {
            expect(op, output == null || output instanceof KvOutput.Ack, "an acknowledgement");
        } else if (input instanceof KvInput.Get) {
            expect(op, output == null || output instanceof KvOutput.Value, "a value");
        } else if (input instanceof KvInput.Scan scan) {
            expect(op, output == null || output instanceof KvOutput.Rows, "rows");
            if (output instanceof KvOutput.Rows rows) {
                checkRange(op, scan, rows);
            }
        } else {
            throw unknown(op);
        }
    }

    @Override
    public Optional<KvState> step(KvState state, Operation<KvInput, KvOutput> op) {
        Object input = op.input();
        KvOutput output = op.output();
        if (input instanceof KvInput.Put put) {
            return Optional.of(state.put(put.cf(), put.key(), put.value()));
        }
        if (input instanceof KvInput.Delete delete) {
            return Optional.of(state.delete(delete.cf(), delete.key()));
        }
        if (input instanceof KvInput.Get get) {
            if (output == null) {
                return Optional.of(state);
            }
            String held = state.get(get.cf(), get.key());
            return ((KvOutput.Value) output).value().equals(held == null ? "" : held)
                    ? Optional.of(state) : Optional.empty();
        }
        if (input instanceof KvInput.Scan scan) {
            if (output == null) {
                return Optional.of(state);
            }
            // By count and digest: a mismatch is certain; a match is checked entry by entry once the search has
            // found its order (stepExactly), so a digest collision can never make a history pass.
            KvOutput.Rows rows = (KvOutput.Rows) output;
            KvState.Summary held = state.summary(scan.start(), rows.end());
            return held.count() == rows.rows().size() && held.digest() == rows.digest()
                    ? Optional.of(state) : Optional.empty();
        }
        throw unknown(op);
    }

    /** {@link #step}, with a scan's answer compared with the state entry by entry. */
    @Override
    public Optional<KvState> stepExactly(KvState state, Operation<KvInput, KvOutput> op) {
        if (op.input() instanceof KvInput.Scan scan && op.output() instanceof KvOutput.Rows rows) {
            return matches(state, scan.start(), rows) ? Optional.of(state) : Optional.empty();
        }
        return step(state, op);
    }

    @Override
    public boolean isReadOnly(Operation<KvInput, KvOutput> op) {
        Object input = op.input();
        return input instanceof KvInput.Get || input instanceof KvInput.Scan;
    }

    /** The state's default-family entries in [start, rows' end) are the rows, key by key, in order. */
    private static boolean matches(KvState state, String start, KvOutput.Rows rows) {
        List<KvOutput.Row> held = new ArrayList<>();
        state.forEachInRange(start, rows.end(), (key, value) -> held.add(new KvOutput.Row(key, value)));
        return held.equals(rows.rows());
    }

    /** A scan's answer speaks for [start, rows' end), within the scan's own range, and returns keys in it. */
    private static void checkRange(Operation<KvInput, KvOutput> op, KvInput.Scan scan, KvOutput.Rows rows) {
        String end = rows.end();
        boolean inside = end.isEmpty() ? scan.end().isEmpty()
                : end.compareTo(scan.start()) >= 0 && (scan.end().isEmpty() || end.compareTo(scan.end()) <= 0);
        if (!inside) {
            throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by " + op.client()
                    + ") answers for keys up to " + (end.isEmpty() ? "the end" : KvText.quote(end))
                    + ", outside its range");
        }
        // The first and the last row are enough: rows out of order never match the model's, which are in order.
        KvInput.Scan covered = new KvInput.Scan(scan.start(), end);
        List<KvOutput.Row> all = rows.rows();
        for (KvOutput.Row row : all.isEmpty() ? all : List.of(all.get(0), all.get(all.size() - 1))) {
            if (!covered.covers(row.key())) {
                throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by "
                        + op.client() + ") returned key " + KvText.quote(row.key()) + ", outside its range");
            }
        }
    }

    private static void expect(Operation<KvInput, KvOutput> op, boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by " + op.client()
                    + ") is answered with " + op.output() + ", not " + what);
        }
    }

    private static IllegalArgumentException unknown(Operation<?, ?> op) {
        Object input = op.input();
        return new IllegalArgumentException("operation " + op.id() + " (" + input + " by " + op.client()
                + ") is not an operation of the key-value model (put, get, delete, scan)");
    }

    // ---- partition by key --------------------------------------------------------------------------------

    /**
     * One part per key, except that a scan joins the keys it covers. The default family's keys of the history
     * are sorted once, so a scan covers a run of them, an interval of indices; overlapping intervals are
     * merged in one sweep, which keeps this linear in the history however long the scans are.
     */
    @Override
    public List<List<Operation<KvInput, KvOutput>>> partition(List<Operation<KvInput, KvOutput>> history) {
        // The keys of the puts, gets and deletes. A key only a scan returned is in no other operation: the scan
        // need not join it with anything, and fails alone if the key has no place in it.
        HashSet<String> keySet = new HashSet<>();
        for (Operation<KvInput, KvOutput> op : history) {
            if (!(op.input() instanceof KvInput.Scan)) {
                String[] cfKey = cfAndKey(op);
                if (KvInput.DEFAULT_CF.equals(cfKey[0])) {
                    keySet.add(cfKey[1]);
                }
            }
        }
        String[] keys = keySet.toArray(new String[0]);
        Arrays.sort(keys);
        // Each scan's interval [lo, hi) of key indices; merged, each key index gets its group's first index.
        int[] lo = new int[history.size()];
        int[] hi = new int[history.size()];
        List<Integer> scans = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Operation<KvInput, KvOutput> op = history.get(i);
            if (op.input() instanceof KvInput.Scan scan) {
                String end = op.output() instanceof KvOutput.Rows rows ? rows.end() : scan.end();
                lo[i] = lowerBound(keys, scan.start());
                hi[i] = end.isEmpty() ? keys.length : lowerBound(keys, end);
                scans.add(i);
            }
        }
        int[] group = new int[keys.length];
        Arrays.setAll(group, k -> k);
        scans.sort((a, b) -> Integer.compare(lo[a], lo[b]));
        int groupStart = -1;
        int groupEnd = -1;
        for (int i : scans) {
            if (lo[i] >= hi[i]) {
                continue; // covers no key of the history
            }
            if (lo[i] >= groupEnd) {
                groupStart = lo[i];
            }
            for (int k = Math.max(lo[i], groupEnd); k < hi[i]; k++) {
                group[k] = groupStart;
            }
            groupEnd = Math.max(groupEnd, hi[i]);
        }
        Map<String, List<Operation<KvInput, KvOutput>>> parts = new LinkedHashMap<>();
        Map<String, Integer> indexOfKey = new HashMap<>();
        for (int k = 0; k < keys.length; k++) {
            indexOfKey.put(keys[k], k);
        }
        for (int i = 0; i < history.size(); i++) {
            Operation<KvInput, KvOutput> op = history.get(i);
            String part;
            if (op.input() instanceof KvInput.Scan) {
                part = lo[i] < hi[i] ? "key " + group[lo[i]] : "scan " + i;
            } else {
                String[] cfKey = cfAndKey(op);
                part = KvInput.DEFAULT_CF.equals(cfKey[0]) ? "key " + group[indexOfKey.get(cfKey[1])]
                        : KvState.slot(cfKey[0], cfKey[1]);
            }
            parts.computeIfAbsent(part, p -> new ArrayList<>()).add(op);
        }
        return List.copyOf(parts.values());
    }

    /** The index of the first key at or after {@code key}. */
    private static int lowerBound(String[] keys, String key) {
        int found = Arrays.binarySearch(keys, key);
        return found >= 0 ? found : -found - 1;
    }

    /** The column family and key of a put, get or delete. */
    private static String[] cfAndKey(Operation<KvInput, KvOutput> op) {
        Object input = op.input();
        if (input instanceof KvInput.Put put) {
            return new String[] {put.cf(), put.key()};
        }
        if (input instanceof KvInput.Get get) {
            return new String[] {get.cf(), get.key()};
        }
        if (input instanceof KvInput.Delete delete) {
            return new String[] {delete.cf(), delete.key()};
        }
        throw unknown(op);
    }
}
