package tinykv.grading;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leak check of the student kit and the Gradescope zip, which {@code make handout} and
 * {@code make gradescope} run on what they wrote: no instructor-only path, no file that is not one of the
 * repository's tracked kit files (or written by the kit builder), and no method body of the reference
 * (whitespace removed, at least {@value #MIN_BODY} characters, and not also in the skeleton twin, where it
 * is provided code) in any file. Each problem names the offending file. {@code make handout-check} also
 * checks that the kit's own {@code make grade} gave 0 with tests listed.
 *
 * <p>Usage: {@code HandoutCheck KIT REPO} (after the kit's grade) or
 * {@code HandoutCheck --gradescope DIR REPO} (the zip's folder: the hidden tests and scripts are expected there).
 * Exits 1 with the reasons on failure.
 */
public final class HandoutCheck {
    static final int MIN_BODY = 60;
    private static final Pattern BODY_START = Pattern.compile("\\)\\s*(throws\\s+[\\w.,\\s]+)?\\{");

    private HandoutCheck() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean gradescope = args[0].equals("--gradescope");
        Path kit = Path.of(args[gradescope ? 1 : 0]).toAbsolutePath().normalize();
        Path repo = Path.of(args[gradescope ? 2 : 1]).toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>(leaks(kit, repo, Handout.kitFiles(repo), gradescope));
        if (!gradescope) {
            String results = Files.readString(kit.resolve("target/grade/results.json"), StandardCharsets.UTF_8);
            if (!results.contains("\"score\": 0,") || !results.contains("\"max_score\"")) {
                problems.add("the kit's make grade did not give 0 points with tests listed: "
                        + results.lines().limit(3).toList());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("handout check: " + problem));
            System.exit(1);
        }
        System.out.println("handout check: " + kit + " holds only kit files and no reference method body"
                + (gradescope ? "" : "; the kit builds and grades 0"));
    }

    /**
     * What leaks into {@code kit}: each problem names its file. {@code allowed} are the tracked files that
     * belong in the kit ({@link Handout#kitFiles}); build output ({@code target/}) is not looked at.
     */
    static List<String> leaks(Path kit, Path repo, List<String> allowed, boolean gradescope) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new HashSet<>(allowed);
        expected.addAll(Handout.GENERATED);
        List<String> files = StudentFiles.files(kit);
        for (String path : files) {
            boolean added = gradescope && StudentFiles.NOT_IN_STUDENT_KIT.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
            if (Handout.instructorOnly(path) && !added) {
                problems.add(path + ": instructor-only, must not be in the kit");
            } else if (!expected.contains(path) && !added) {
                problems.add(path + ": not one of the repository's tracked kit files (a submission? notes?)");
            }
        }
        Path reference = repo.resolve("reference/src/main/java");
        Path skeleton = repo.resolve(StudentFiles.SOURCES);
        Map<String, String> texts = kitTexts(kit, files);
        int bodies = 0;
        for (String relative : StudentFiles.files(reference)) {
            Path twin = skeleton.resolve(relative);
            String provided = Files.exists(twin) ? squeeze(Files.readString(twin)) : "";
            for (String body : methodBodies(Files.readString(reference.resolve(relative)))) {
                if (body.length() < MIN_BODY || provided.contains(body)) {
                    continue;
                }
                bodies++;
                texts.forEach((path, text) -> {
                    if (text.contains(body)) {
                        problems.add(path + ": holds a method body of reference/" + relative + ": "
                                + body.substring(0, Math.min(120, body.length())));
                    }
                });
            }
        }
        if (bodies == 0) {
            problems.add("no reference method body was checked: no reference in " + repo + "?");
        }
        return problems;
    }

    /** The text between each method's (or constructor's, or block's) braces, whitespace removed. */
    static List<String> methodBodies(String source) {
        List<String> bodies = new ArrayList<>();
        Matcher m = BODY_START.matcher(source);
        while (m.find()) {
            int open = m.end() - 1;
            int depth = 0;
            for (int i = open; i < source.length(); i++) {
                char c = source.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    bodies.add(squeeze(source.substring(open + 1, i)));
                    break;
                }
            }
        }
        return bodies;
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static Map<String, String> kitTexts(Path kit, List<String> files) throws IOException {
        Map<String, String> texts = new TreeMap<>();
        for (String path : files) {
            if (path.endsWith(".jar") || path.endsWith(".gz") || path.endsWith(".zip")) {
                continue;
            }
            try {
                texts.put(path, squeeze(Files.readString(kit.resolve(path), StandardCharsets.UTF_8)));
            } catch (MalformedInputException binary) {
                // Not text: no source could hide in it readably.
            }
        }
        return texts;
    }
}
