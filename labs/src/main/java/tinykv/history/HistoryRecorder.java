package tinykv.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records the client operations of one run as they are called and answered: what was asked, what came back,
 * and when, in virtual time. Every call and answer also gets the next position on one counter, so the
 * history keeps the exact order of events even when many fall in the same virtual millisecond.
 *
 * <p>Cheap by design: a call appends one small record, an answer fills in two fields.
 */
public final class HistoryRecorder {
    private final LongSupplier virtualMillis;
    private final List<Entry> entries = new ArrayList<>();
    private long position;

    /**
     * One recorded operation.
     *
     * @param callMillis virtual time of the call
     * @param retMillis  virtual time of the answer, or -1 while none has come
     * @param store      the store that answered, 0 if not known or not answered
     */
    public record Entry(int id, String client, KvInput input, KvOutput output, long callPosition,
            long retPosition, long callMillis, long retMillis, long store) {
        public boolean isPending() {
            return output == null;
        }
    }

    public HistoryRecorder(LongSupplier virtualMillis) {
        this.virtualMillis = Objects.requireNonNull(virtualMillis, "virtualMillis");
    }

    /** Records a call; returns its id, for {@link #answer}. */
    public int call(String client, KvInput input) {
        int id = entries.size();
        entries.add(new Entry(id, client, input, null, position++, Operation.PENDING, virtualMillis.getAsLong(), -1,
                0));
        return id;
    }

    /** Records the answer to call {@code id}, from an unknown store. */
    public void answer(int id, KvOutput output) {
        answer(id, output, 0);
    }

    /** Records the answer to call {@code id}, given by store {@code store}. */
    public void answer(int id, KvOutput output, long store) {
        Objects.requireNonNull(output, "output");
        Entry call = entries.get(id);
        if (!call.isPending()) {
            throw new IllegalStateException("operation " + id + " (" + call.input() + " by " + call.client()
                    + ") was answered twice: " + call.output() + ", then " + output);
        }
        entries.set(id, new Entry(id, call.client(), call.input(), output, call.callPosition(), position++,
                call.callMillis(), virtualMillis.getAsLong(), store));
    }

    /** Every operation recorded so far, in call order; those not answered yet are pending. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }

    /** The history so far, for the checker: positions as times. */
    public List<Operation<KvInput, KvOutput>> history() {
        List<Operation<KvInput, KvOutput>> history = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            history.add(new Operation<>(entry.id(), entry.client(), entry.input(), entry.output(),
                    entry.callPosition(), entry.retPosition()));
        }
        return history;
    }
}
