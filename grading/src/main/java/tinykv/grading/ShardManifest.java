package tinykv.grading;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tinykv.labs.LabPart;

/**
 * What a folder of batch-grading results holds ({@value #FILE}, written last, so a shard that did not finish
 * has none): which shard of how many, the class it was cut from (how many submissions, and a digest of all
 * their names: shards of different folders would not fit together), the settings that decide a score, and
 * the submissions it holds. {@code make grade-merge} reads it to refuse shards that do not make one class.
 *
 * <p>The file is lines of {@code key=value}; {@code holds=} repeats, one submission a line.
 *
 * @param settings each setting under its make variable (LAB, SEEDS, SALT, the limits, and KIT: a digest of the
 *                 kit and hidden tests graded against), in a fixed order
 */
record ShardManifest(Shard shard, int classSize, String classDigest, Map<String, String> settings,
        List<String> holds) {
    static final String FILE = "shard.txt";

    /** The manifest of {@code shard} of the class {@code sortedNames}, graded with those settings. */
    static ShardManifest of(Shard shard, List<String> sortedNames, Map<String, String> settings) {
        return new ShardManifest(shard, sortedNames.size(), digest(String.join("\n", sortedNames)), settings,
                shard.of(sortedNames));
    }

    /** The settings a score depends on, as make spells them; {@code kit} is {@link #digestOf}'s of what is graded. */
    static Map<String, String> settings(GradeOptions options, String kit) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("LAB", options.labs().isEmpty() ? "all" : options.labs().stream().map(LabPart::tag)
                .collect(Collectors.joining(",")));
        s.put("SEEDS", Integer.toString(options.seeds()));
        s.put("SALT", options.salt());
        s.put("HEAP", options.heap());
        s.put("TEST_TIMEOUT", Long.toString(options.testTimeout().toSeconds()));
        s.put("PART_TIMEOUT", Long.toString(options.partTimeout().toSeconds()));
        s.put("BUDGET", Long.toString(options.budget().toSeconds()));
        s.put("KIT", kit);
        return s;
    }

    void write(Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# Written by make grade-submissions: shard ").append(shard).append(" of a class of ")
                .append(classSize).append(" submission(s), holding ").append(holds.size())
                .append(". make grade-merge reads it.\n");
        text.append("shard=").append(shard).append('\n');
        text.append("class_size=").append(classSize).append('\n');
        text.append("class_digest=").append(classDigest).append('\n');
        settings.forEach((key, value) -> text.append("setting.").append(key).append('=').append(value).append('\n'));
        holds.forEach(name -> text.append("holds=").append(name).append('\n'));
        Files.writeString(dir.resolve(FILE), text.toString(), StandardCharsets.UTF_8);
    }

    /** Reads the manifest of a results folder; a folder without one, or a damaged one, is refused by name. */
    static ShardManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not a finished output of make grade-submissions: it has no "
                    + FILE + " (a shard that did not finish writes none)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> holds = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(file + ": a line without '=': " + line);
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("holds")) {
                holds.add(value);
            } else if (key.startsWith("setting.")) {
                settings.put(key.substring("setting.".length()), value);
            } else {
                fields.put(key, value);
            }
        }
        for (String key : List.of("shard", "class_size", "class_digest")) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException(file + " has no " + key + "= line");
            }
        }
        try {
            return new ShardManifest(Shard.parse(fields.get("shard")), Integer.parseInt(fields.get("class_size")),
                    fields.get("class_digest"), settings, holds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A SHA-256 of every file under the roots (paths and contents, build output left out), in hex. */
    static String digestOf(List<Path> roots) throws IOException {
        MessageDigest sha = sha256();
        for (Path root : roots) {
            for (String path : StudentFiles.files(root)) {
                sha.update((path + "\n").getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(root.resolve(path)));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String digest(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
