package tinykv.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the fast path takes from Maven, the build of record: the Java code protoc generates from the
 * protos, and the class path of jars from Maven Central that the skeleton and the labs compile and run
 * with. Maven runs again only when a pom or a proto changed (or its outputs are gone); it installs nothing,
 * and the kit's own modules are never taken from {@code ~/.m2}: their jars are excluded from the class path.
 *
 * <p>Runs {@code mvn -q -pl labs -am compile -Dmaven.main.skip=true dependency:build-classpath}: protoc, and
 * the class paths (written to each module's {@code target/loop.classpath}), without compiling anything.
 */
final class MavenBase {
    static final String CLASSPATH_FILE = "target/loop.classpath";

    private final Path repo;
    private final Path stateFile;

    MavenBase(Path repo, Path loopDir) {
        this.repo = repo;
        this.stateFile = loopDir.resolve("maven.state");
    }

    Path generatedProtos() {
        return repo.resolve("skeleton/target/generated-sources/protobuf/java");
    }

    List<Path> skeletonJars() {
        return jars("skeleton");
    }

    List<Path> labsJars() {
        return jars("labs");
    }

    /** Runs Maven if its inputs changed since it last ran; returns a key of those inputs. */
    String ensure(String mvn) throws IOException, InterruptedException, BuildFailure {
        Map<String, Stamps> previous = readState();
        Map<String, Stamps> now = new TreeMap<>();
        for (Path input : inputs()) {
            String relative = repo.relativize(input).toString();
            now.put(relative, Stamps.of(input, previous.get(relative)));
        }
        // The goals are an input too: a new version of this class may ask Maven for something else.
        now.put("(goals)", new Stamps(0, 0, Stamps.hash(String.join(" ", GOALS))));
        boolean outputsThere = Files.isDirectory(generatedProtos())
                && Files.isRegularFile(repo.resolve("skeleton").resolve(CLASSPATH_FILE))
                && Files.isRegularFile(repo.resolve("labs").resolve(CLASSPATH_FILE));
        boolean sameInputs = now.keySet().equals(previous.keySet()) && now.entrySet().stream()
                .allMatch(input -> input.getValue().sameContent(previous.get(input.getKey())));
        if (!sameInputs || !outputsThere) {
            run(mvn);
        }
        writeState(now);
        StringBuilder key = new StringBuilder();
        now.forEach((file, stamp) -> key.append(file).append(' ').append(stamp.hash()).append('\n'));
        return Stamps.hash(key.toString());
    }

    /** Protoc and the class paths, without compiling: the compile phase runs (so the reactor resolves the
     * skeleton to its own directory, not to ~/.m2) with the compiler skipped. */
    private static final List<String> GOALS = List.of("-q", "-pl", "labs", "-am", "compile", "-Dmaven.main.skip=true",
            "-Dimpl=skeleton", "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH_FILE,
            "-DincludeScope=runtime", "-DexcludeGroupIds=tinykv");

    private void run(String mvn) throws IOException, InterruptedException, BuildFailure {
        System.out.println("Preparing the build with Maven: generating the protobuf classes and resolving the"
                + " libraries. The first time, it downloads about 120 MB (protoc, JUnit, RocksDB, ...): a minute or"
                + " two, quiet while it works.");
        System.out.flush();
        List<String> command = new ArrayList<>(Arrays.asList(mvn.trim().split("\\s+")));
        command.addAll(GOALS);
        // Maven's output is kept to itself unless it fails: even quiet and colourless, it prints escape codes.
        Path log = stateFile.resolveSibling("maven.log");
        Files.createDirectories(log.getParent());
        Process maven = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = maven.waitFor();
        if (status != 0) {
            System.out.print(Files.readString(log).replaceAll("\u001B\\[[0-9;]*m", ""));
            throw new BuildFailure(status);
        }
    }

    /** The poms and the protos: the only inputs of the build that the fast path does not compile itself. */
    private List<Path> inputs() throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String pom : List.of("pom.xml", "skeleton/pom.xml", "labs/pom.xml", "reference/pom.xml")) {
            if (Files.isRegularFile(repo.resolve(pom))) {
                inputs.add(repo.resolve(pom));
            }
        }
        Path protos = repo.resolve("skeleton/src/main/proto");
        if (Files.isDirectory(protos)) {
            try (Stream<Path> files = Files.walk(protos)) {
                files.filter(Files::isRegularFile).sorted().forEach(inputs::add);
            }
        }
        return inputs;
    }

    private List<Path> jars(String module) {
        try {
            String text = Files.readString(repo.resolve(module).resolve(CLASSPATH_FILE), StandardCharsets.UTF_8).strip();
            // Never a path inside the checkout: the kit's own modules are compiled here, not taken from Maven.
            return text.isEmpty() ? List.of() : Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of)
                    .filter(jar -> !jar.toAbsolutePath().startsWith(repo)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path Maven wrote for " + module, e);
        }
    }

    private Map<String, Stamps> readState() throws IOException {
        Map<String, Stamps> state = new TreeMap<>();
        if (Files.isRegularFile(stateFile)) {
            for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 4) {
                    state.put(f[0], Stamps.parse(f[1], f[2], f[3]));
                }
            }
        }
        return state;
    }

    private void writeState(Map<String, Stamps> state) throws IOException {
        StringBuilder text = new StringBuilder();
        state.forEach((file, stamp) -> text.append(file).append('\t').append(stamp.format()).append('\n'));
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, text, StandardCharsets.UTF_8);
    }

    /** Maven failed (it has printed why); the fast path exits with its status. */
    static final class BuildFailure extends Exception {
        final int status;

        BuildFailure(int status) {
            super("the Maven build failed with status " + status);
            this.status = status;
        }
    }
}
