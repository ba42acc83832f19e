package tinykv.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A hostile student helper for make batch-check: it walks the working directory and, for each class path
 * entry, the source tree it was built in, prints every hidden test or reference source it finds, and throws them in its message,
 * so that they would reach the visible report if the grading copy held any.
 */
final class Explorer {
    private Explorer() {}

    static void explore() {
        List<Path> roots = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // Up to the top of the source tree the entry was built in: the last folder with a pom.xml.
            Path up = Path.of(entry).toAbsolutePath().getParent();
            while (up != null && up.getParent() != null && Files.exists(up.getParent().resolve("pom.xml"))) {
                up = up.getParent();
            }
            if (up != null) {
                roots.add(up);
            }
        }
        long walked = 0;
        List<String> found = new ArrayList<>();
        for (Path root : roots.stream().distinct().toList()) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    walked++;
                    String name = file.toString();
                    if (name.endsWith(".java") && (name.contains("hidden") || name.contains("reference"))) {
                        found.add(name);
                        System.out.println("FOUND " + name);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // Skipped, as a real attempt would.
            }
        }
        throw new IllegalStateException("explorer walked " + walked + " files; sources found: " + found);
    }
}
