package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class-wide files of a results folder, in one place for batch grading and the merge: {@value #SCORES}
 * (one line per submission, in name order; nothing in it depends on the machine or the time, so the same
 * class graded whole, in shards or with other JOBS gives the same bytes) and {@value #TIMES} (how long each
 * took, which does).
 */
final class ScoresFiles {
    static final String SCORES = "scores.csv";
    static final String SCORES_HEADER = "submission,score,max_score,status,ignored_changes";
    static final String TIMES = "times.csv";
    static final String TIMES_HEADER = "submission,seconds";

    private ScoresFiles() {}

    /** Starts both files with their headers. */
    static void start(Path out) throws IOException {
        Files.writeString(out.resolve(SCORES), SCORES_HEADER + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve(TIMES), TIMES_HEADER + "\n", StandardCharsets.UTF_8);
    }

    /** Appends one submission's lines. */
    static void append(Path out, String name, BatchGrader.Result result, long seconds) throws IOException {
        append(out, List.of(String.join(",", field(name), Integer.toString(result.score()),
                Integer.toString(result.max()), result.status(), Integer.toString(result.ignored().size()))),
                List.of(field(name) + "," + seconds));
    }

    static void append(Path out, List<String> scoreLines, List<String> timeLines) throws IOException {
        appendLines(out.resolve(SCORES), scoreLines);
        appendLines(out.resolve(TIMES), timeLines);
    }

    private static void appendLines(Path file, List<String> lines) throws IOException {
        if (!lines.isEmpty()) {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    /** The lines of one of the files after its header, each checked to start with the header's column names. */
    static List<String> lines(Path out, String file, String header) throws IOException {
        Path path = out.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(out + " has no " + file);
        }
        List<String> all = Files.readAllLines(path, StandardCharsets.UTF_8);
        if (all.isEmpty() || !all.get(0).equals(header)) {
            throw new IllegalArgumentException(path + " does not start with the header " + header);
        }
        return new ArrayList<>(all.subList(1, all.size()));
    }

    /** The submission's name in a line of either file: its first field, unquoted. */
    static String name(String line) {
        if (!line.startsWith("\"")) {
            int comma = line.indexOf(',');
            return comma < 0 ? line : line.substring(0, comma);
        }
        StringBuilder name = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                name.append('"');
                i++;
            } else if (c == '"') {
                break;
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** A CSV field: quoted when it holds a comma or a quote. */
    static String field(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /**
     * Makes {@code out} ready for a new run's results: it must be new, empty, or the results of an earlier run
     * (it has {@value #SCORES}), which is replaced whole, so that no submission of an earlier run is left in it.
     */
    static void replaceFolder(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(out)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(out.resolve(SCORES))) {
                throw new IllegalArgumentException(out + " is not empty and holds no " + SCORES + " of an earlier "
                        + "grading: choose an empty or new folder for the results");
            }
            Trees.deleteTree(out);
        } else if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " is a file, not a folder for the results");
        }
        Files.createDirectories(out);
    }
}
