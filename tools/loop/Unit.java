package tinykv.loop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One compilation unit of the fast path: the Java sources under some roots (a later root's file replaces
 * an earlier root's file at the same relative path: the reference overlay), compiled together into one
 * output directory against a class path.
 *
 * <p>{@link #build} recompiles only what changed. A source whose content changed is compiled alone against
 * the unit's existing classes; if what it exports to other classes ({@link ClassAbi}) is the same as
 * before, its new classes replace its old ones and nothing else is compiled. Otherwise, or when a source
 * was added or removed, or the unit's inputs from upstream changed (its key), the whole unit is compiled
 * again from scratch. Classes are written to a staging directory first, so a compile error leaves the
 * last good classes and state in place.
 *
 * <p>The state ({@code OUTPUT.state}) holds, per source, its stamp, its ABI hash and the classes it produced.
 */
final class Unit {
    /** A source as last compiled. */
    private record Compiled(Path file, Stamps stamp, String abi, List<String> classes) {}

    private final String name;
    private final List<Path> roots;
    private final Path output;
    private final List<Path> classpath;
    private final Path stateFile;

    /**
     * Sources that only change when the upstream key does (the protobuf code: protoc writes it when Maven runs,
     * and the protos and poms are in that key): with the key unchanged, they are not even listed.
     */
    private final boolean generated;

    Unit(String name, List<Path> roots, Path output, List<Path> classpath) {
        this(name, roots, output, classpath, false);
    }

    Unit(String name, List<Path> roots, Path output, List<Path> classpath, boolean generated) {
        this.generated = generated;
        this.name = name;
        this.roots = roots;
        this.output = output;
        this.classpath = classpath;
        this.stateFile = output.resolveSibling(output.getFileName() + ".state");
    }

    String name() {
        return name;
    }

    Path output() {
        return output;
    }

    /**
     * Brings the output up to date with the sources; returns the unit's key for the units downstream:
     * this unit's key and ABI, so that they recompile exactly when something they compile against changed.
     */
    String build(Javac javac, String upstreamKey) throws CompileFailure, IOException {
        String key = Stamps.hash(upstreamKey + "\n" + name + "\n" + roots + "\n" + classpath + "\n" + javac.options());
        State previous = State.read(stateFile);
        if (generated && previous != null && previous.key.equals(key) && Files.isDirectory(output)) {
            return previous.abiKey();
        }
        Map<String, Path> sources = sources();
        if (previous == null || !previous.key.equals(key) || !previous.sources.keySet().equals(sources.keySet())
                || !Files.isDirectory(output)) {
            return compileAll(javac, key, sources);
        }
        Map<String, Compiled> now = new TreeMap<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Path> source : sources.entrySet()) {
            Compiled before = previous.sources.get(source.getKey());
            Stamps stamp = Stamps.of(source.getValue(), before.file.equals(source.getValue()) ? before.stamp : null);
            if (!before.file.equals(source.getValue()) || !stamp.sameContent(before.stamp)) {
                changed.add(source.getKey());
            }
            now.put(source.getKey(), new Compiled(source.getValue(), stamp, before.abi, before.classes));
        }
        if (changed.isEmpty()) {
            if (!now.equals(previous.sources)) {
                new State(key, now).write(stateFile);
            }
            return previous.abiKey();
        }
        Path staging = freshStaging();
        Map<String, List<String>> produced = javac.compile(name, changed.stream().map(sources::get).toList(),
                withFirst(output, classpath), staging);
        for (String source : changed) {
            List<String> classes = produced.getOrDefault(sources.get(source).toUri().toString(), List.of());
            String abi = abiOf(staging, classes);
            if (!abi.equals(previous.sources.get(source).abi)) {
                deleteTree(staging);
                return compileAll(javac, key, sources);
            }
            now.put(source, new Compiled(sources.get(source), now.get(source).stamp, abi, classes));
        }
        for (String source : changed) {
            for (String oldClass : previous.sources.get(source).classes) {
                Files.deleteIfExists(output.resolve(oldClass));
            }
            for (String newClass : now.get(source).classes) {
                Path target = output.resolve(newClass);
                Files.createDirectories(target.getParent());
                move(staging.resolve(newClass), target);
            }
        }
        deleteTree(staging);
        State state = new State(key, now);
        state.write(stateFile);
        return state.abiKey();
    }

    private String compileAll(Javac javac, String key, Map<String, Path> sources) throws CompileFailure, IOException {
        // Seconds with nothing on the console look like a hang: say what is compiled when it is everything.
        System.out.printf("Compiling %s (%d files)%n", name, sources.size());
        System.out.flush();
        Path staging = freshStaging();
        Map<String, List<String>> produced = javac.compile(name, List.copyOf(sources.values()), classpath, staging);
        Map<String, Compiled> compiled = new TreeMap<>();
        for (Map.Entry<String, Path> source : sources.entrySet()) {
            List<String> classes = produced.getOrDefault(source.getValue().toUri().toString(), List.of());
            compiled.put(source.getKey(), new Compiled(source.getValue(), Stamps.of(source.getValue(), null),
                    abiOf(staging, classes), classes));
        }
        deleteTree(output);
        Files.createDirectories(output.getParent());
        move(staging, output);
        State state = new State(key, compiled);
        state.write(stateFile);
        return state.abiKey();
    }

    /** Every .java file under the roots, by path relative to its root; a later root wins. */
    private Map<String, Path> sources() {
        Map<String, Path> sources = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java") && Files.isRegularFile(file))
                        .forEach(file -> sources.put(root.relativize(file).toString(), file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root, e);
            }
        }
        return sources;
    }

    private static String abiOf(Path classes, List<String> classFiles) {
        StringBuilder abi = new StringBuilder();
        for (String classFile : classFiles.stream().sorted().toList()) {
            try (InputStream in = Files.newInputStream(classes.resolve(classFile))) {
                abi.append(ClassAbi.of(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + classFile, e);
            }
        }
        return Stamps.hash(abi.toString());
    }

    private Path freshStaging() {
        Path staging = output.resolveSibling(output.getFileName() + ".staging");
        deleteTree(staging);
        return staging;
    }

    private static List<Path> withFirst(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** The unit's state file: its key, then one line per source. */
    private record State(String key, Map<String, Compiled> sources) {
        String abiKey() {
            StringBuilder all = new StringBuilder(key);
            sources.forEach((source, compiled) -> all.append('\n').append(source).append(' ').append(compiled.abi));
            return Stamps.hash(all.toString());
        }

        static State read(Path file) {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                Map<String, Compiled> sources = new LinkedHashMap<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split("\t", -1);
                    List<String> classes = f[6].isEmpty() ? List.of() : List.of(f[6].split("\\|"));
                    sources.put(f[0], new Compiled(Path.of(f[1]), Stamps.parse(f[2], f[3], f[4]), f[5], classes));
                }
                return new State(lines.get(0), new TreeMap<>(sources));
            } catch (IOException | RuntimeException e) {
                return null; // unreadable state: build from scratch
            }
        }

        void write(Path file) {
            StringBuilder text = new StringBuilder(key).append('\n');
            sources.forEach((source, c) -> text.append(source).append('\t').append(c.file).append('\t')
                    .append(c.stamp.format()).append('\t').append(c.abi).append('\t')
                    .append(String.join("|", c.classes)).append('\n'));
            try {
                Path temporary = file.resolveSibling(file.getFileName() + ".new");
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
