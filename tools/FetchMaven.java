import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Downloads Apache Maven's binary zip from Maven Central, checks it against the SHA-512 published beside
 * it, and unpacks it into the cache folder. Run as a single-file program: java FetchMaven.java VERSION DIR.
 */
public class FetchMaven {
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/";

    public static void main(String[] args) throws Exception {
        String version = args[0];
        Path cache = Path.of(args[1]);
        String url = CENTRAL + version + "/apache-maven-" + version + "-bin.zip";
        System.out.println("Maven is not installed: fetching Apache Maven " + version + " from " + url);

        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        byte[] zip = get(http, url);
        String expected = new String(get(http, url + ".sha512")).trim().split("\\s+")[0];
        String actual = HexFormat.of().formatHex(sha512(zip));
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("checksum mismatch for " + url + ": expected " + expected + ", got " + actual);
        }
        Files.createDirectories(cache);
        Path staging = Files.createTempDirectory(cache, "maven-");
        unzip(zip, staging);
        Path unpacked = staging.resolve("apache-maven-" + version);
        unpacked.resolve("bin/mvn").toFile().setExecutable(true);
        Files.move(unpacked, cache.resolve("apache-maven-" + version), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(staging);
        System.out.println("Apache Maven " + version + " is in " + cache);
    }

    private static byte[] get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static byte[] sha512(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-512").digest(data);
    }

    private static void unzip(byte[] zip, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    copy(in, out);
                }
            }
        }
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
}
