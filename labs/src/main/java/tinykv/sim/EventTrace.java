package tinykv.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What the simulator remembers of the events it ran: a fingerprint of all of them and the last few in
 * full, for failure reports.
 *
 * <p>The fingerprint is FNV-1a (64 bits) over each event's virtual time, owner and description. It sees
 * only values that are the same in every JVM (longs and the chars of strings), never identity hash codes
 * or hash-map order, so the same seed gives the same fingerprint run after run and JVM after JVM.
 */
final class EventTrace {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** One event as a report shows it. {@code number} counts from 1 in the order events ran. */
    record Entry(long number, long time, String owner, String what) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "#%-8d [%9.3fs] %-10s %s", number, time / 1000.0, owner, what);
        }
    }

    private final int capacity;
    private final Deque<Entry> recent;
    private long fingerprint = FNV_OFFSET;
    private long count;
    /** Where every event also goes when the test records its run ({@link RunTrace}), with this simulator's number. */
    private RunTrace runTrace;
    private int simulatorNumber;

    EventTrace(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the trace must keep at least one event, was " + capacity);
        }
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    /** Records an event that is about to run. */
    void record(long time, String owner, String what) {
        count++;
        mixLong(time);
        mixString(owner);
        mixString(what);
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        Entry entry = new Entry(count, time, owner, what);
        recent.addLast(entry);
        if (runTrace != null) {
            runTrace.record(simulatorNumber, entry);
        }
    }

    /** From now on every event also goes to the run's trace, as simulator {@code number} of the test. */
    void recordInto(RunTrace trace, int number) {
        this.runTrace = trace;
        this.simulatorNumber = number;
    }

    long count() {
        return count;
    }

    long fingerprint() {
        return fingerprint;
    }

    /** The last events recorded, oldest first. */
    List<Entry> recent() {
        return new ArrayList<>(recent);
    }

    private void mixLong(long value) {
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            mixByte((int) (value >>> shift));
        }
    }

    /** Each char as two bytes, then a separator, so ("ab", "c") and ("a", "bc") hash differently. */
    private void mixString(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            mixByte(c);
            mixByte(c >>> Byte.SIZE);
        }
        mixByte(0xff);
        mixByte(0xff);
    }

    private void mixByte(int value) {
        fingerprint ^= value & 0xff;
        fingerprint *= FNV_PRIME;
    }
}
