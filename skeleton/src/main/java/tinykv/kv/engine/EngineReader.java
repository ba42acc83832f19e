package tinykv.kv.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads of an engine: either the live {@link Engine} or a point-in-time {@link EngineSnapshot}. Code
 * that only reads (the meta states, a region reader) takes this, so it works on both.
 */
public interface EngineReader {

    /** The value of {@code key} in column family {@code cf}, or empty when there is none. */
    Optional<byte[]> get(String cf, byte[] key);

    /**
     * The protobuf message stored under a meta key (meta keys live in the default column family), or
     * empty when there is none.
     *
     * @param parser the message type's parser, e.g. {@code RaftLocalState.parser()}
     */
    default <M extends Message> Optional<M> getMeta(byte[] key, Parser<M> parser) {
        Optional<byte[]> bytes = get(ColumnFamilies.DEFAULT, key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parseFrom(bytes.get()));
        } catch (InvalidProtocolBufferException e) {
            // A meta key holding something else means a bug wrote the wrong message type there.
            throw new IllegalStateException(
                    "meta key " + HexFormat.of().formatHex(key) + " does not hold the expected message", e);
        }
    }

    /**
     * An iterator over one column family, in key order (bytes compared unsigned). It starts unpositioned:
     * call {@link CfIterator#seek} or {@link CfIterator#seekToFirst} first. Close it when done.
     */
    CfIterator iterator(String cf);
}
