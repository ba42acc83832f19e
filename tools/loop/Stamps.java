package tinykv.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a file's content was when it was last built: size, modification time and a content hash. A file
 * whose size and time are unchanged is taken as unchanged (as make does); otherwise its content is hashed,
 * so that a file touched but not edited costs no recompilation.
 */
record Stamps(long size, long modified, String hash) {

    /** The stamp of a file now, reusing {@code previous}'s hash when size and time still match. */
    static Stamps of(Path file, Stamps previous) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long size = attributes.size();
            long modified = attributes.lastModifiedTime().toMillis();
            if (previous != null && previous.size == size && previous.modified == modified) {
                return previous;
            }
            return new Stamps(size, modified, hash(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Same content as {@code other}. */
    boolean sameContent(Stamps other) {
        return other != null && hash.equals(other.hash);
    }

    static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    static String hash(String text) {
        return hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    String format() {
        return size + "\t" + modified + "\t" + hash;
    }

    static Stamps parse(String size, String modified, String hash) {
        return new Stamps(Long.parseLong(size), Long.parseLong(modified), hash);
    }
}
