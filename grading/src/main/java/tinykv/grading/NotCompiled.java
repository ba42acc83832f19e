package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code make grade} runs when the build fails, so that grading still writes its outputs: a
 * results.json with score 0 and the compiler's output. Uses only the JDK, so it runs as a single source
 * file ({@code java NotCompiled.java BUILD_LOG OUT_DIR}) when nothing else compiles.
 */
public final class NotCompiled {
    private NotCompiled() {}

    public static void main(String[] args) throws IOException {
        String log = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        StringBuilder errors = new StringBuilder();
        log.lines().filter(line -> line.contains(".java:[") || line.contains("error:") || line.contains("COMPILATION ERROR"))
                .limit(60).forEach(line -> errors.append(line).append('\n'));
        String output = "does not compile: the build failed, so no test could run. Fix the first error below.\n\n"
                + (errors.length() > 6000 ? errors.substring(0, 6000) + "\n..." : errors.toString());
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), "{\n  \"score\": 0,\n  \"execution_time\": 0,\n"
                + "  \"output\": " + quote(output) + ",\n  \"tests\": []\n}\n", StandardCharsets.UTF_8);
        System.out.println("Grade: 0 (does not compile). Details: " + out.resolve("results.json"));
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> json.append(c < 0x20 ? ' ' : c);
            }
        }
        return json.append('"').toString();
    }
}
