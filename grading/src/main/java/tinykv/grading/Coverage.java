package tinykv.grading;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.IBundleCoverage;
import org.jacoco.core.analysis.ICounter;
import org.jacoco.core.tools.ExecFileLoader;
import org.jacoco.report.DirectorySourceFileLocator;
import org.jacoco.report.FileMultiReportOutput;
import org.jacoco.report.IReportVisitor;
import org.jacoco.report.html.HTMLFormatter;

/**
 * Line coverage with JaCoCo ({@code make coverage LAB=2b}, or {@code --coverage} on the grader): each part's
 * fork runs with the JaCoCo agent, and an HTML report of the <em>student classes</em> goes to
 * {@code target/coverage/<part>/}. The student classes are {@link StudentFiles}'.
 */
final class Coverage {
    private Coverage() {}

    static List<String> jvmOptions(GradeOptions options, String part) {
        Optional<String> agent = agentJar();
        if (!options.coverage() || agent.isEmpty()) {
            return List.of();
        }
        return List.of("-javaagent:" + agent.get() + "=destfile=" + execFile(options, part).toAbsolutePath()
                + ",append=false,includes=tinykv.*");
    }

    private static Path execFile(GradeOptions options, String part) {
        return options.out().resolve("coverage").resolve(part + ".exec");
    }

    private static Optional<String> agentJar() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("org.jacoco.agent-") && name.endsWith("-runtime.jar")) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes the HTML report of one part under {@code target/coverage/<part>/} and returns its summary line
     * ({@code line coverage of the student classes: 87.5% (140 of 160 lines)}), or empty without data.
     */
    static Optional<String> report(GradeOptions options, String part) throws IOException {
        Path exec = execFile(options, part);
        if (!options.coverage() || !Files.exists(exec)) {
            return Optional.empty();
        }
        Path classes = Path.of(options.impl(), "target", "classes");
        Path sources = options.impl().equals("reference") ? Path.of("reference", "target", "overlay-src")
                : Path.of("skeleton", "src", "main", "java");
        ExecFileLoader loader = new ExecFileLoader();
        loader.load(exec.toFile());
        CoverageBuilder builder = new CoverageBuilder();
        Analyzer analyzer = new Analyzer(loader.getExecutionDataStore(), builder);
        for (String studentClass : StudentFiles.of(Path.of(".")).classes()) {
            String base = studentClass.replaceFirst("\\.java$", "");
            Path dir = classes.resolve(base).getParent();
            String simple = Path.of(base).getFileName().toString();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.equals(simple + ".class") || n.startsWith(simple + "$");
                }).toList()) {
                    analyzer.analyzeAll(file.toFile());
                }
            }
        }
        IBundleCoverage bundle = builder.getBundle("Student classes, lab part " + part + " (" + options.impl() + ")");
        Path html = Path.of("target", "coverage", part);
        HTMLFormatter formatter = new HTMLFormatter();
        IReportVisitor visitor = formatter.createVisitor(new FileMultiReportOutput(html.toFile()));
        visitor.visitInfo(loader.getSessionInfoStore().getInfos(), loader.getExecutionDataStore().getContents());
        visitor.visitBundle(bundle, new DirectorySourceFileLocator(sources.toFile(), "UTF-8", 4));
        visitor.visitEnd();
        ICounter lines = bundle.getLineCounter();
        return Optional.of(String.format(Locale.ROOT, "line coverage of the student classes: %.1f%% (%d of %d lines); "
                + "report: %s", 100 * lines.getCoveredRatio(), lines.getCoveredCount(), lines.getTotalCount(),
                html.resolve("index.html")));
    }
}
