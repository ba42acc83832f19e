package tinykv.labs.handouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Makefile as the handouts may use it, read at test time: its targets, the variables a command line
 * may set ({@code NAME ?= ...}), and the JUnit tags each lab target runs ({@code $(call run_labs,...)}).
 * {@link #dryRun} asks make itself ({@code make -n}) whether it accepts a command line.
 */
final class KitMake {
    private static final Pattern RULE = Pattern.compile("^([a-z0-9][a-z0-9 -]*):(?![=:])");
    private static final Pattern VARIABLE = Pattern.compile("^([A-Z][A-Z0-9_]*)\\s*\\?=");
    private static final Pattern RUN_LABS = Pattern.compile("run_labs,([a-z0-9|]+)\\)");

    private final Path root;
    private final Set<String> targets = new TreeSet<>();
    private final Set<String> variables = new TreeSet<>();
    private final Map<String, List<String>> tags = new TreeMap<>();

    KitMake(Path root) {
        this.root = root;
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve("Makefile"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Makefile in " + root, e);
        }
        List<String> ruleTargets = List.of();
        for (String line : lines) {
            Matcher rule = RULE.matcher(line);
            Matcher variable = VARIABLE.matcher(line);
            if (rule.find()) {
                ruleTargets = List.of(rule.group(1).trim().split("\\s+"));
                targets.addAll(ruleTargets);
            } else if (variable.find()) {
                variables.add(variable.group(1));
            } else if (line.startsWith("\t")) {
                Matcher labs = RUN_LABS.matcher(line);
                if (labs.find()) {
                    ruleTargets.forEach(t -> tags.put(t, List.of(labs.group(1).split("\\|"))));
                }
            } else if (!line.isBlank()) {
                ruleTargets = List.of();
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalStateException("no targets found in " + root.resolve("Makefile"));
        }
    }

    boolean isTarget(String name) {
        return targets.contains(name);
    }

    boolean isVariable(String name) {
        return variables.contains(name);
    }

    /** The JUnit tags a lab target runs, if it runs lab tests. */
    Optional<List<String>> tagsOf(String target) {
        return Optional.ofNullable(tags.get(target));
    }

    /** Make's verdict on a command line, without running its recipes: empty if accepted, else its error. */
    Optional<String> dryRun(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("make", "-n", "-s", "--no-print-directory", "-C",
                root.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // An enclosing make (make test) must not hand its flags or job server to this one.
        builder.environment().keySet().removeAll(List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("make -n did not finish");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of(new String(output, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running make -n", e);
        }
    }
}
