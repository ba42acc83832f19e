package tinykv.grading;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The student kit check that {@code make test} runs after building the kit and running its {@code make grade}:
 * no instructor-only path in the kit, the kit's grade is 0 with tests listed, and no method body of the
 * reference (whitespace removed, at least {@value #MIN_BODY} characters, and not also in the skeleton twin,
 * where it is provided code) appears in any file of the kit.
 *
 * <p>Usage: {@code HandoutCheck KIT REFERENCE_SOURCES SKELETON_SOURCES}. Exits 1 with the reasons on failure.
 */
public final class HandoutCheck {
    static final int MIN_BODY = 60;
    private static final Pattern BODY_START = Pattern.compile("\\)\\s*(throws\\s+[\\w.,\\s]+)?\\{");

    private HandoutCheck() {}

    public static void main(String[] args) throws IOException {
        Path kit = Path.of(args[0]);
        Path reference = Path.of(args[1]);
        Path skeleton = Path.of(args[2]);
        List<String> problems = new ArrayList<>();
        for (String path : Handout.INSTRUCTOR_ONLY) {
            if (Files.exists(kit.resolve(path))) {
                problems.add("the kit holds instructor-only " + path);
            }
        }
        String results = Files.readString(kit.resolve("target/grade/results.json"), StandardCharsets.UTF_8);
        if (!results.contains("\"score\": 0,") || !results.contains("\"max_score\"")) {
            problems.add("the kit's make grade did not give 0 points with tests listed: " + results.lines().limit(3).toList());
        }
        List<String> kitTexts = kitTexts(kit);
        int bodies = 0;
        try (Stream<Path> files = Files.walk(reference)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path twin = skeleton.resolve(reference.relativize(file).toString());
                String provided = Files.exists(twin) ? squeeze(Files.readString(twin)) : "";
                for (String body : methodBodies(Files.readString(file))) {
                    if (body.length() < MIN_BODY || provided.contains(body)) {
                        continue;
                    }
                    bodies++;
                    for (String text : kitTexts) {
                        if (text.contains(body)) {
                            problems.add("a method body of " + reference.relativize(file) + " appears in the kit: "
                                    + body.substring(0, Math.min(120, body.length())));
                            break;
                        }
                    }
                }
            }
        }
        if (bodies == 0) {
            problems.add("no reference method body was checked: wrong reference path " + reference + "?");
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("handout check: " + problem));
            System.exit(1);
        }
        System.out.printf("handout check: the kit builds and grades 0; %d reference method bodies, none in the kit's "
                + "%d files%n", bodies, kitTexts.size());
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

    private static List<String> kitTexts(Path kit) throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(kit)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.toString();
                if (name.contains("/target/") || name.endsWith(".jar") || name.endsWith(".gz")) {
                    continue;
                }
                try {
                    texts.add(squeeze(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (MalformedInputException binary) {
                    // Not text: no source could hide in it readably.
                }
            }
        }
        return texts;
    }
}
