package tinykv.kv.engine;

/**
 * Iteration over one column family, in the style of TinyKV's {@code DBIterator}:
 *
 * <pre>{@code
 * try (CfIterator it = engine.iterator(ColumnFamilies.DEFAULT)) {
 *     for (it.seek(start); it.valid(); it.next()) {
 *         use(it.key(), it.value());
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #key()} and {@link #value()} return fresh copies, so they stay valid after {@code next()}.
 * An iterator sees the data as it was when it was created: later writes do not show up in it.
 */
public interface CfIterator extends AutoCloseable {

    /** Positions on the first key that is {@code >= key}, or makes the iterator invalid if none is. */
    void seek(byte[] key);

    /** Positions on the first key of the column family. */
    void seekToFirst();

    /** Whether the iterator is positioned on a key; false once it has run past the last one. */
    boolean valid();

    /** The current key. Only while {@link #valid()}. */
    byte[] key();

    /** The current value. Only while {@link #valid()}. */
    byte[] value();

    /** Moves to the next key. Only while {@link #valid()}; check {@code valid()} again afterwards. */
    void next();

    /** Releases the iterator. Closing twice is harmless; any other use afterwards throws. */
    @Override
    void close();
}
