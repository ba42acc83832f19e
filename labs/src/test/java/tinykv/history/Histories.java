package tinykv.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small histories written by hand for the checker's tests: {@code h.put("x", "1", 0, 10)} and so on. */
final class Histories {
    private final List<Operation<KvInput, KvOutput>> ops = new ArrayList<>();

    static Histories history() {
        return new Histories();
    }

    List<Operation<KvInput, KvOutput>> ops() {
        return List.copyOf(ops);
    }

    private String client() {
        return "c" + ops.size();
    }

    Histories put(String key, String value, long call, long ret) {
        return add(new KvInput.Put(KvInput.DEFAULT_CF, key, value), new KvOutput.Ack(), call, ret);
    }

    Histories pendingPut(String key, String value, long call) {
        ops.add(Operation.pending(ops.size(), client(), new KvInput.Put(KvInput.DEFAULT_CF, key, value), call));
        return this;
    }

    Histories delete(String key, long call, long ret) {
        return add(new KvInput.Delete(KvInput.DEFAULT_CF, key), new KvOutput.Ack(), call, ret);
    }

    /** A get that read {@code value}; "" for a key without a value. */
    Histories get(String key, String value, long call, long ret) {
        return add(new KvInput.Get(KvInput.DEFAULT_CF, key), new KvOutput.Value(value), call, ret);
    }

    Histories pendingGet(String key, long call) {
        ops.add(Operation.pending(ops.size(), client(), new KvInput.Get(KvInput.DEFAULT_CF, key), call));
        return this;
    }

    /** A scan of [start, end) that read {@code keyValues}: key, value, key, value... */
    Histories scan(String start, String end, long call, long ret, String... keyValues) {
        List<KvOutput.Row> rows = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            rows.add(new KvOutput.Row(keyValues[i], keyValues[i + 1]));
        }
        return add(new KvInput.Scan(start, end), new KvOutput.Rows(rows, end), call, ret);
    }

    Histories add(KvInput input, KvOutput output, long call, long ret) {
        ops.add(Operation.answered(ops.size(), client(), input, output, call, ret));
        return this;
    }

    static CheckResult<KvInput, KvOutput> check(List<Operation<KvInput, KvOutput>> ops) {
        return LinearizabilityChecker.check(ops, KvModel.INSTANCE, LinearizabilityChecker.DEFAULT_STEP_BUDGET);
    }

    @Override
    public String toString() {
        return Arrays.toString(ops.toArray());
    }
}
