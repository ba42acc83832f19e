import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code make standalone-check}: writes into a copy of the repository the reference solution as a student who has
 * done exactly one lab part (and those before it) has it: every student method of a later part keeps the
 * skeleton's {@code Todo}, every other method the reference's body. That part's tests must then pass, so that
 * no test of a part needs work the part's handout does not list.
 *
 * <p>Usage (a single-file program): {@code java tools/StandaloneParts.java REPO COPY PART}, where REPO is this
 * repository, COPY a copy of it whose {@code reference/src/main/java} is rewritten, and PART a lab tag (lab2aa).
 * A stub the tool cannot place in the reference is an error that names it.
 */
public final class StandaloneParts {
    private static final List<String> PARTS =
            List.of("lab2aa", "lab2ab", "lab2ac", "lab2b", "lab2c", "lab3a", "lab3b", "lab3c");
    /** A skeleton method whose whole body is one Todo: its signature (up to the brace), tag and method name. */
    private static final Pattern STUB = Pattern.compile(
            "\\n[ \\t]*([^\\n;{}]*\\))\\s*(?:throws [^{]*)?\\{\\s*throw new Todo\\(\"(lab\\w+)\", \"([^\"]*)\"\\);\\s*}");

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !PARTS.contains(args[2])) {
            throw new IllegalArgumentException("usage: StandaloneParts REPO COPY PART (PART one of " + PARTS + ")");
        }
        Path repo = Path.of(args[0]);
        Path copy = Path.of(args[1]);
        List<String> later = PARTS.subList(PARTS.indexOf(args[2]) + 1, PARTS.size());
        Path skeleton = repo.resolve("skeleton/src/main/java");
        Path reference = repo.resolve("reference/src/main/java");
        int stubbed = 0;
        try (Stream<Path> files = Files.walk(reference)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = reference.relativize(file);
                String solution = Files.readString(file);
                Path twin = skeleton.resolve(relative);
                if (Files.exists(twin)) {
                    Matcher stub = STUB.matcher(Files.readString(twin));
                    while (stub.find()) {
                        if (later.contains(stub.group(2))) {
                            solution = withStub(solution, stub.group(1).strip(), stub.group(2), stub.group(3), relative);
                            stubbed++;
                        }
                    }
                }
                Files.writeString(copy.resolve("reference/src/main/java").resolve(relative), solution);
            }
        }
        System.out.printf("standalone %s: the reference with the %d student methods of %s stubbed%n", args[2],
                stubbed, later.isEmpty() ? "no later part" : String.join(", ", later));
    }

    /** Replaces the body of the method with this signature by the skeleton's Todo. */
    private static String withStub(String source, String signature, String tag, String method, Path file) {
        int at = source.indexOf(signature);
        if (at < 0) {
            throw new IllegalStateException(file + ": the reference has no method " + signature);
        }
        int open = source.indexOf('{', at + signature.length());
        int close = matchingBrace(source, open);
        return source.substring(0, open) + "{\n        throw new tinykv.Todo(\"" + tag + "\", \"" + method + "\");\n    }"
                + source.substring(close + 1);
    }

    /** The index of the brace that closes the one at {@code open}, skipping comments, strings and characters. */
    private static int matchingBrace(String source, int open) {
        int depth = 0;
        for (int i = open; i < source.length(); i++) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i) + 1;
            } else if (source.startsWith("\"\"\"", i)) {
                i = source.indexOf("\"\"\"", i + 3) + 2;
            } else if (c == '"' || c == '\'') {
                i++;
                while (source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces after index " + open);
    }
}
