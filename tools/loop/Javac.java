package tinykv.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * The JDK's compiler, in this JVM, with the options of the kit's Maven build ({@code --release} from the
 * parent pom, debug information on). Reports which class files each source produced, and turns errors
 * into a {@link CompileFailure} worded as Maven's compiler plugin words them.
 */
final class Javac {
    private final List<String> options;
    /** Loaded on first use: a run with nothing to compile does not pay for starting the compiler. */
    private JavaCompiler compiler;

    Javac(String release) {
        // No annotation processors (the kit has none) and no source path: only the given files are compiled,
        // everything else comes from class files.
        options = List.of("--release", release, "-g", "-proc:none", "-implicit:none", "-nowarn", "-Xlint:none",
                "-sourcepath", "");
    }

    List<String> options() {
        return options;
    }

    /** Compiles the sources into {@code output}; returns, per source URI, the class files it wrote (relative paths). */
    Map<String, List<String>> compile(String unit, List<Path> sources, List<Path> classpath, Path output)
            throws CompileFailure {
        if (compiler == null) {
            compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new IllegalStateException("no Java compiler in this runtime: run make with a JDK, not a JRE");
            }
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, List<String>> produced = new HashMap<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(output);
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath.stream().filter(Files::exists).toList());
            JavaFileManager recording = new ForwardingJavaFileManager<>(files) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                        FileObject sibling) throws IOException {
                    if (sibling != null && kind == JavaFileObject.Kind.CLASS) {
                        produced.computeIfAbsent(sibling.toUri().toString(), uri -> new ArrayList<>())
                                .add(className.replace('.', '/') + ".class");
                    }
                    return super.getJavaFileForOutput(location, className, kind, sibling);
                }
            };
            boolean ok = compiler.getTask(null, recording, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                throw new CompileFailure(unit, errors(diagnostics));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile " + unit, e);
        }
        return produced;
    }

    /** Each error as Maven prints it: {@code /path/File.java:[line,column] message}. */
    private static List<String> errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()) + ":[" + d.getLineNumber() + ","
                    + d.getColumnNumber() + "] ";
            errors.add(where + d.getMessage(Locale.ROOT));
        }
        return errors;
    }
}
