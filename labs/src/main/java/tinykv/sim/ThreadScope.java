package tinykv.sim;

/**
 * A thread-local value set for the length of a {@code try} block and put back when the block ends, so that
 * nested scopes (a kit test that runs a test) unwind to the value each found.
 */
public final class ThreadScope<T> implements AutoCloseable {
    private final ThreadLocal<T> local;
    private final T saved;

    private ThreadScope(ThreadLocal<T> local, T saved) {
        this.local = local;
        this.saved = saved;
    }

    /** Sets {@code local} to {@code value} on this thread (null: unset) until the scope closes. */
    public static <T> ThreadScope<T> set(ThreadLocal<T> local, T value) {
        ThreadScope<T> scope = new ThreadScope<>(local, local.get());
        put(local, value);
        return scope;
    }

    /** Puts back the value the scope found. */
    @Override
    public void close() {
        put(local, saved);
    }

    private static <T> void put(ThreadLocal<T> local, T value) {
        if (value == null) {
            local.remove();
        } else {
            local.set(value);
        }
    }
}
