package tinykv.kv.raftstore;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/** Decoding protobuf values read back from an engine, where a decoding failure means corrupted state. */
final class Protos {
    private Protos() {}

    static <M> M parse(Parser<M> parser, byte[] bytes, String what) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored " + what + " cannot be decoded", e);
        }
    }
}
