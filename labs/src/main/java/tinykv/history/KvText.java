package tinykv.history;

import java.nio.charset.StandardCharsets;

/** How keys and values of a history read in reports and on the timeline. */
public final class KvText {
    private KvText() {}

    /** Bytes as the history holds them: one ISO-8859-1 character per byte. */
    public static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Printable ASCII in quotes, anything else in hex. */
    public static String quote(String text) {
        StringBuilder hex = new StringBuilder("0x");
        boolean printable = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            printable &= c >= 0x20 && c <= 0x7e;
            hex.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
        }
        return printable ? "\"" + text + "\"" : hex.toString();
    }

    /** A key, with its column family unless it is the default one. */
    static String key(String cf, String key) {
        return KvInput.DEFAULT_CF.equals(cf) ? quote(key) : cf + ":" + quote(key);
    }
}
