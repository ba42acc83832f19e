package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** How the harness writes keys and values in its messages. */
final class KeyText {
    private KeyText() {}

    /** Bytes as text if they are printable ASCII (test keys are), else hex. */
    static String of(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + hex(bytes);
            }
        }
        return "\"" + new String(bytes, StandardCharsets.US_ASCII) + "\"";
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
