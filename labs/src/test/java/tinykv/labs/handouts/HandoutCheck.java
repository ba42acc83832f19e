package tinykv.labs.handouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tinykv.labs.LabPart;
import tinykv.labs.StagedTests;

/**
 * Checks a folder of handouts against each other and against the kit: each English handout
 * ({@code lab2a.md}) has a Chinese twin ({@code zh/lab2a.md}) with the same sections in the same order,
 * which says the English commit it matches and links the glossary; and in both languages every name of
 * code, file path, {@code make} command line, cited test and relative link exists. The kit is read at test
 * time (sources, Makefile, tests), so a rename anywhere shows up here.
 */
public final class HandoutCheck {
    /** The Chinese glossary; every Chinese handout links it, and it has no English twin. */
    public static final String GLOSSARY = "术语.md";

    private static final Pattern COMMIT_LINE = Pattern.compile("<!--\\s*en-commit:\\s*[0-9a-f]{7,40}\\s*-->");
    private static final Pattern TEST_NAME = Pattern.compile("(?:Test)?[A-Za-z]\\w*?(2AA|2AB|2AC|2B|2C|3A|3B|3C)");

    private final Path root;
    private final KitTypes types;
    private final CodeNames names;
    private final KitMake make;
    private final List<StagedTests.Discovered> tests;
    private final Map<String, Optional<String>> dryRuns = new LinkedHashMap<>();

    /** @param root the repository root: the folder holding the Makefile, skeleton/ and labs/ */
    public HandoutCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.types = new KitTypes(this.root);
        this.names = new CodeNames(this.root, types);
        this.make = new KitMake(this.root);
        this.tests = StagedTests.discover(LabPart.allTags());
    }

    /** Every problem found in the handouts of {@code dir} (English in it, Chinese in {@code dir/zh}). */
    public List<String> check(Path dir) {
        List<String> problems = new ArrayList<>();
        List<Path> english = markdownIn(dir);
        List<Path> chinese = markdownIn(dir.resolve("zh"));
        for (Path en : english) {
            Path zh = dir.resolve("zh").resolve(en.getFileName());
            if (!Files.exists(zh)) {
                problems.add(name(en) + ": has no Chinese twin " + name(zh));
            }
        }
        for (Path zh : chinese) {
            if (zh.getFileName().toString().equals(GLOSSARY)) {
                continue;
            }
            Path en = dir.resolve(zh.getFileName());
            if (!Files.exists(en)) {
                problems.add(name(zh) + ": has no English twin " + name(en));
            } else {
                problems.addAll(twins(Markdown.read(en), Markdown.read(zh)));
            }
        }
        List<Path> all = new ArrayList<>(english);
        all.addAll(chinese);
        for (Path file : all) {
            problems.addAll(againstTheKit(Markdown.read(file)));
        }
        return problems;
    }

    /** Same sections, same order, same levels; the commit line; the glossary link. */
    private List<String> twins(Markdown en, Markdown zh) {
        List<String> problems = new ArrayList<>();
        List<String> enKeys = en.headings().stream().map(h -> h.level() + " " + h.text()).toList();
        List<String> zhKeys = new ArrayList<>();
        for (Markdown.Heading h : zh.headings()) {
            if (h.english().isEmpty()) {
                problems.add(where(zh, h.line()) + "heading \"" + h.text()
                        + "\" has no <!-- en: ... --> line naming its English heading just above it");
            } else {
                zhKeys.add(h.level() + " " + h.english().get());
            }
        }
        for (Markdown.Heading h : en.headings()) {
            if (!zhKeys.contains(h.level() + " " + h.text())) {
                problems.add(where(en, h.line()) + "heading \"" + h.text() + "\" (level " + h.level()
                        + ") has no counterpart in " + name(zh.file()));
            }
        }
        for (Markdown.Heading h : zh.headings()) {
            h.english().filter(key -> !enKeys.contains(h.level() + " " + key)).ifPresent(key ->
                    problems.add(where(zh, h.line()) + "heading \"" + h.text() + "\" stands for \"" + key
                            + "\" (level " + h.level() + "), which is not a heading of " + name(en.file())));
        }
        if (problems.isEmpty() && !enKeys.equals(zhKeys)) {
            problems.add(name(zh.file()) + ": its sections are not in the order of " + name(en.file())
                    + ": expected " + enKeys + ", found " + zhKeys);
        }
        if (!COMMIT_LINE.matcher(zh.text()).find()) {
            problems.add(name(zh.file()) + ": does not say which English commit it matches (<!-- en-commit: <sha> -->)");
        }
        if (zh.links().stream().noneMatch(link -> link.text().endsWith(GLOSSARY))) {
            problems.add(name(zh.file()) + ": does not link the glossary " + GLOSSARY);
        }
        return problems;
    }

    private List<String> againstTheKit(Markdown doc) {
        List<String> problems = new ArrayList<>();
        for (Markdown.Span span : doc.spans()) {
            if (span.code().startsWith("make ")) {
                commandLine(span.code()).ifPresent(p -> problems.add(where(doc, span.line()) + p));
            } else if (TEST_NAME.matcher(span.code()).matches() && !span.code().endsWith("Test")) {
                citedTest(span.code(), null).ifPresent(p -> problems.add(where(doc, span.line()) + p));
            } else {
                names.check(span).ifPresent(p -> problems.add(where(doc, span.line()) + p));
            }
        }
        for (Markdown.Line line : doc.codeLines()) {
            String command = line.text().replaceFirst("\\s+#.*$", "").strip();
            if (command.startsWith("make ") || command.equals("make")) {
                commandLine(command).ifPresent(p -> problems.add(where(doc, line.line()) + p));
            }
        }
        for (Markdown.Line link : doc.links()) {
            link(doc, link.text()).ifPresent(p -> problems.add(where(doc, link.line()) + p));
        }
        return problems;
    }

    /** A {@code make} line: a real target, real variables, cited tests of that target, and make accepts it. */
    private Optional<String> commandLine(String command) {
        if (command.matches(".*(<|\\[|\\.\\.\\.|…).*")) {
            return Optional.empty(); // a pattern such as `make lab2b [TEST=...]`, not a command
        }
        String[] all = command.split("\\s+");
        List<String> words = List.of(all).subList(1, all.length);
        String target = null;
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                if (!make.isTarget(word)) {
                    return Optional.of("`" + command + "`: " + word + " is not a target of the Makefile");
                }
                target = target == null ? word : target;
                continue;
            }
            String variable = word.substring(0, eq);
            String value = word.substring(eq + 1);
            if (!make.isVariable(variable)) {
                return Optional.of("`" + command + "`: " + variable + " is not a variable of the Makefile");
            }
            if (variable.equals("TEST")) {
                for (String test : value.split(",")) {
                    Optional<String> problem = citedTest(test, target);
                    if (problem.isPresent()) {
                        return Optional.of("`" + command + "`: " + problem.get());
                    }
                }
            }
            if (variable.equals("LAB") && !isLabPart(value)) {
                return Optional.of("`" + command + "`: LAB=" + value + " is not a lab part");
            }
        }
        return dryRuns.computeIfAbsent(String.join(" ", words), k -> make.dryRun(words))
                .map(error -> "`" + command + "`: make -n refuses it: " + error);
    }

    /** A test a handout names exists, with the tag of its part (or of the make target that runs it). */
    private Optional<String> citedTest(String cited, String target) {
        String wanted = cited.toLowerCase(Locale.ROOT).replaceFirst("^test", "");
        List<String> tags = target == null ? tagOfName(cited) : make.tagsOf(target).orElse(List.of());
        boolean found = tests.stream().anyMatch(t -> t.methodName().toLowerCase(Locale.ROOT).equals(wanted)
                && (tags.isEmpty() || t.tags().stream().anyMatch(tags::contains)));
        return found ? Optional.empty()
                : Optional.of("no staged test " + cited + (tags.isEmpty() ? "" : " tagged " + String.join("|", tags)));
    }

    private static List<String> tagOfName(String name) {
        Matcher m = TEST_NAME.matcher(name);
        return m.matches() ? List.of("lab" + m.group(1).toLowerCase(Locale.ROOT)) : List.of();
    }

    private static boolean isLabPart(String value) {
        return Arrays.stream(LabPart.values()).anyMatch(p -> p.suffix().equalsIgnoreCase(value));
    }

    /** A relative link resolves to a file, and its #anchor (if any) to a heading of that file. */
    private Optional<String> link(Markdown doc, String target) {
        if (target.matches("^[a-z]+:.*")) {
            return Optional.empty(); // https:, mailto: ...
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? doc.file() : doc.file().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return Optional.of("link (" + target + ") goes nowhere: " + name(resolved) + " does not exist");
        }
        if (hash >= 0 && resolved.toString().endsWith(".md")) {
            String anchor = target.substring(hash + 1);
            boolean found = Markdown.read(resolved).headings().stream().anyMatch(h -> Markdown.anchor(h.text()).equals(anchor));
            if (!found) {
                return Optional.of("link (" + target + ") names no heading of " + name(resolved));
            }
        }
        return Optional.empty();
    }

    private static List<Path> markdownIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private String name(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : file.toString();
    }

    private String where(Markdown doc, int line) {
        return name(doc.file()) + ":" + line + ": ";
    }
}
