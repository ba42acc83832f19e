package tinykv.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The key-value store as a sequential specification: puts, gets and deletes on one key of a column family,
 * and scans of a range of the default column family, all of one store with no transactions.
 *
 * <p>Histories are split by key: operations on different keys never constrain each other, so each key is
 * checked alone. A scan ties together every key it covers (each key it returned, and each key of the history
 * in its range: that it did not return them is something it saw), so those keys are checked as one part. In
 * the kit's workloads each client owns its keys and scans only its own, which keeps the parts small.
 */
public final class KvModel implements Model<KvInput, KvOutput, KvState> {
    public static final KvModel INSTANCE = new KvModel();

    private KvModel() {}

    @Override
    public KvState initial() {
        return KvState.EMPTY;
    }

    @Override
    public Optional<KvState> step(KvState state, Operation<KvInput, KvOutput> op) {
        Object input = op.input(); // as Object: a history built from raw types may hold anything here
        KvOutput output = op.output();
        if (input instanceof KvInput.Put put) {
            expect(op, output == null || output instanceof KvOutput.Ack, "an acknowledgement");
            return Optional.of(state.put(put.cf(), put.key(), put.value()));
        }
        if (input instanceof KvInput.Delete delete) {
            expect(op, output == null || output instanceof KvOutput.Ack, "an acknowledgement");
            return Optional.of(state.delete(delete.cf(), delete.key()));
        }
        if (input instanceof KvInput.Get get) {
            if (output == null) {
                return Optional.of(state);
            }
            expect(op, output instanceof KvOutput.Value, "a value");
            String held = state.get(get.cf(), get.key());
            return ((KvOutput.Value) output).value().equals(held == null ? "" : held)
                    ? Optional.of(state) : Optional.empty();
        }
        if (input instanceof KvInput.Scan scan) {
            if (output == null) {
                return Optional.of(state);
            }
            expect(op, output instanceof KvOutput.Rows, "rows");
            return matches(state.range(scan.start(), coveredEnd(op)), ((KvOutput.Rows) output).rows())
                    ? Optional.of(state) : Optional.empty();
        }
        throw unknown(op);
    }

    private static IllegalArgumentException unknown(Operation<?, ?> op) {
        Object input = op.input();
        return new IllegalArgumentException("operation " + op.id() + " (" + input + " by " + op.client()
                + ") is not an operation of the key-value model (put, get, delete, scan)");
    }

    @Override
    public boolean isReadOnly(Operation<KvInput, KvOutput> op) {
        Object input = op.input();
        return input instanceof KvInput.Get || input instanceof KvInput.Scan;
    }

    private static boolean matches(NavigableMap<String, String> held, List<KvOutput.Row> rows) {
        if (held.size() != rows.size()) {
            return false;
        }
        Iterator<KvOutput.Row> row = rows.iterator();
        for (Map.Entry<String, String> entry : held.entrySet()) {
            KvOutput.Row next = row.next();
            if (!entry.getKey().equals(KvState.slot(KvInput.DEFAULT_CF, next.key()))
                    || !entry.getValue().equals(next.value())) {
                return false;
            }
        }
        return true;
    }

    /** The end of the keys a scan's answer speaks for: the end of its region's part, else the scan's own end. */
    private static String coveredEnd(Operation<KvInput, KvOutput> op) {
        KvInput.Scan scan = (KvInput.Scan) op.input();
        if (!(op.output() instanceof KvOutput.Rows rows)) {
            return scan.end();
        }
        String end = rows.end();
        boolean inside = end.isEmpty() ? scan.end().isEmpty()
                : end.compareTo(scan.start()) >= 0 && (scan.end().isEmpty() || end.compareTo(scan.end()) <= 0);
        if (!inside) {
            throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by " + op.client()
                    + ") answers for keys up to " + (end.isEmpty() ? "the end" : KvText.quote(end))
                    + ", outside its range");
        }
        for (KvOutput.Row row : rows.rows()) {
            if (!new KvInput.Scan(scan.start(), end).covers(row.key())) {
                throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by "
                        + op.client() + ") returned key " + KvText.quote(row.key()) + ", outside its range");
            }
        }
        return end;
    }

    private static void expect(Operation<KvInput, KvOutput> op, boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("operation " + op.id() + " (" + op.input() + " by " + op.client()
                    + ") is answered with " + op.output() + ", not " + what);
        }
    }

    // ---- partition by key --------------------------------------------------------------------------------

    @Override
    public List<List<Operation<KvInput, KvOutput>>> partition(List<Operation<KvInput, KvOutput>> history) {
        Map<String, Integer> slots = new HashMap<>();
        TreeSet<String> defaultKeys = new TreeSet<>();
        for (Operation<KvInput, KvOutput> op : history) {
            Object input = op.input();
            if (input instanceof KvInput.Scan) {
                if (op.output() instanceof KvOutput.Rows rows) {
                    rows.rows().forEach(row -> defaultKeys.add(row.key()));
                }
            } else {
                String[] cfKey = cfAndKey(op);
                if (KvInput.DEFAULT_CF.equals(cfKey[0])) {
                    defaultKeys.add(cfKey[1]);
                }
            }
        }
        UnionFind sets = new UnionFind();
        List<Integer> setOfOp = new ArrayList<>();
        for (Operation<KvInput, KvOutput> op : history) {
            int set;
            Object input = op.input();
            if (input instanceof KvInput.Scan scan) {
                String end = coveredEnd(op);
                set = sets.add();
                var covered = end.isEmpty() ? defaultKeys.tailSet(scan.start(), true)
                        : defaultKeys.subSet(scan.start(), true, end, false);
                for (String key : covered) {
                    sets.union(set, slots.computeIfAbsent(KvState.slot(KvInput.DEFAULT_CF, key), k -> sets.add()));
                }
            } else {
                String[] cfKey = cfAndKey(op);
                set = slots.computeIfAbsent(KvState.slot(cfKey[0], cfKey[1]), k -> sets.add());
            }
            setOfOp.add(set);
        }
        Map<Integer, List<Operation<KvInput, KvOutput>>> parts = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            parts.computeIfAbsent(sets.find(setOfOp.get(i)), k -> new ArrayList<>()).add(history.get(i));
        }
        return List.copyOf(parts.values());
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

    /** Disjoint sets of integers with path halving; enough for partitions of a few thousand keys. */
    private static final class UnionFind {
        private final List<Integer> parent = new ArrayList<>();

        int add() {
            parent.add(parent.size());
            return parent.size() - 1;
        }

        int find(int x) {
            while (parent.get(x) != x) {
                parent.set(x, parent.get(parent.get(x)));
                x = parent.get(x);
            }
            return x;
        }

        void union(int a, int b) {
            parent.set(find(a), find(b));
        }
    }
}
