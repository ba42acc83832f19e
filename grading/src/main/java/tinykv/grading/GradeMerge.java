package tinykv.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make grade-merge IN="dir1 dir2 ..." OUT=dir}: the results folders of the shards of one class
 * ({@code make grade-submissions SHARD=i/m}) made into one, as if the class had been graded whole: one
 * {@value ScoresFiles#SCORES} in name order (the same bytes), one {@value ScoresFiles#TIMES}, every other file of
 * every shard (each submission's folder, the unpacked zips) copied as it is, and the manifest of the whole class.
 *
 * <p>It refuses, naming the problem, shards that do not make one class: a submission in two of them, a shard
 * given twice or missing, shards of different m, of different folders or graded with different settings, and
 * a shard that lacks a submission it claims. The inputs are only read; {@code OUT} may not be one of them.
 */
public final class GradeMerge {
    private GradeMerge() {}

    /** One shard's folder and what its manifest says. */
    record Input(Path dir, ShardManifest manifest) {}

    public static void main(String[] args) throws IOException {
        try {
            if (args.length < 2) {
                throw new IllegalArgumentException("usage: GradeMerge OUT IN...");
            }
            List<Path> in = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                in.add(Path.of(args[i]));
            }
            ShardManifest merged = merge(in, Path.of(args[0]));
            System.out.printf("Merged %d shard(s), %d submission(s): %s%n", in.size(), merged.holds().size(),
                    Path.of(args[0]).resolve(ScoresFiles.SCORES));
        } catch (IllegalArgumentException e) {
            System.err.println("grade-merge: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Checks the shards, then writes their union to {@code out} (replaced) and returns its manifest. */
    static ShardManifest merge(List<Path> dirs, Path out) throws IOException {
        Path to = out.toAbsolutePath().normalize();
        List<Input> inputs = new ArrayList<>();
        for (Path dir : dirs) {
            Path from = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(from)) {
                throw new IllegalArgumentException(dir + " is not a folder");
            }
            if (from.startsWith(to) || to.startsWith(from)) {
                throw new IllegalArgumentException("OUT=" + out + " overlaps the shard " + dir
                        + ": write the merge to a folder of its own");
            }
            inputs.add(new Input(from, ShardManifest.read(from)));
        }
        ShardManifest whole = check(inputs);
        Map<String, String> scores = new TreeMap<>();
        Map<String, String> times = new TreeMap<>();
        for (Input input : inputs) {
            keyed(input, ScoresFiles.SCORES, ScoresFiles.SCORES_HEADER, scores);
            keyed(input, ScoresFiles.TIMES, ScoresFiles.TIMES_HEADER, times);
        }
        Map<String, Path> files = otherFiles(inputs);
        ScoresFiles.replaceFolder(to);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Trees.copyFile(file.getValue(), to.resolve(file.getKey()));
        }
        ScoresFiles.start(to);
        ScoresFiles.append(to, List.copyOf(scores.values()), List.copyOf(times.values()));
        whole.write(to);
        return whole;
    }

    /**
     * The manifest of the whole class if the shards make one: same m, same folder, same settings, each shard
     * once, no submission twice, none missing. Each problem is named with the folders concerned.
     */
    static ShardManifest check(List<Input> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no shard given: IN=\"dir1 dir2 ...\"");
        }
        Input first = inputs.get(0);
        for (Input input : inputs) {
            ShardManifest m = input.manifest();
            if (m.shard().count() != first.manifest().shard().count()) {
                throw new IllegalArgumentException("shards of different m: " + first.dir() + " is "
                        + first.manifest().shard() + " but " + input.dir() + " is " + m.shard());
            }
            if (m.classSize() != first.manifest().classSize() || !m.classDigest().equals(first.manifest().classDigest())) {
                throw new IllegalArgumentException("shards of different folders of submissions: " + first.dir()
                        + " was cut from " + first.manifest().classSize() + " submission(s), " + input.dir() + " from "
                        + m.classSize() + (m.classSize() == first.manifest().classSize() ? " with other names" : "")
                        + "; grade every shard from the same DIR");
            }
            for (String key : union(first.manifest().settings().keySet(), m.settings().keySet())) {
                String a = first.manifest().settings().get(key);
                String b = m.settings().get(key);
                if (a == null || !a.equals(b)) {
                    throw new IllegalArgumentException("shards graded with different settings: " + key + " is " + a
                            + " in " + first.dir() + " but " + b + " in " + input.dir());
                }
            }
        }
        Map<Integer, Input> byIndex = new TreeMap<>();
        Map<String, Input> holder = new HashMap<>();
        for (Input input : inputs) {
            ShardManifest m = input.manifest();
            Input twice = byIndex.put(m.shard().index(), input);
            if (twice != null) {
                throw new IllegalArgumentException("shard " + m.shard() + " is given twice: " + twice.dir() + " and "
                        + input.dir() + (m.holds().isEmpty() ? "" : "; its submissions would be in two shards: "
                        + String.join(", ", m.holds())));
            }
            for (String name : m.holds()) {
                Input before = holder.put(name, input);
                if (before != null) {
                    throw new IllegalArgumentException("the submission " + name + " is in two shards: " + before.dir()
                            + " (" + before.manifest().shard() + ") and " + input.dir() + " (" + m.shard()
                            + "); each submission must be in exactly one");
                }
            }
        }
        int count = first.manifest().shard().count();
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing shard(s) " + String.join(", ", missing) + ": given only "
                    + byIndex.values().stream().map(input -> input.manifest().shard() + " (" + input.dir() + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (holder.size() != first.manifest().classSize()) {
            throw new IllegalArgumentException("the shards hold " + holder.size() + " submission(s), but the class has "
                    + first.manifest().classSize());
        }
        List<String> names = new ArrayList<>(new TreeSet<>(holder.keySet()));
        return ShardManifest.of(Shard.WHOLE, names, first.manifest().settings());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The lines of one of a shard's class-wide files by submission; exactly one for each it holds. */
    private static void keyed(Input input, String file, String header, Map<String, String> into) throws IOException {
        Map<String, String> found = new HashMap<>();
        for (String line : ScoresFiles.lines(input.dir(), file, header)) {
            String name = ScoresFiles.name(line);
            if (!input.manifest().holds().contains(name)) {
                throw new IllegalArgumentException(input.dir().resolve(file) + " has a line for " + name
                        + ", which the shard's " + ShardManifest.FILE + " does not hold");
            }
            if (found.put(name, line) != null) {
                throw new IllegalArgumentException(input.dir().resolve(file) + " has two lines for " + name);
            }
        }
        for (String name : input.manifest().holds()) {
            if (!found.containsKey(name)) {
                throw new IllegalArgumentException(input.dir().resolve(file) + " has no line for " + name
                        + ": the shard is incomplete");
            }
            if (!Files.isDirectory(input.dir().resolve(name))) {
                throw new IllegalArgumentException(input.dir() + " holds " + name + " in its " + ShardManifest.FILE
                        + " but has no folder " + name + "/: the shard is incomplete");
            }
        }
        into.putAll(found);
    }

    /** Every file of the shards but their class-wide ones, by path in the merge; two shards may not share one. */
    private static Map<String, Path> otherFiles(List<Input> inputs) throws IOException {
        Set<String> classWide = Set.of(ScoresFiles.SCORES, ScoresFiles.TIMES, ShardManifest.FILE);
        Map<String, Path> files = new TreeMap<>();
        Map<String, Path> from = new HashMap<>();
        for (Input input : inputs) {
            try (Stream<Path> paths = Files.walk(input.dir())) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    String relative = input.dir().relativize(file).toString();
                    if (classWide.contains(relative)) {
                        continue;
                    }
                    Path before = from.put(relative, input.dir());
                    if (before != null) {
                        throw new IllegalArgumentException("two shards have the file " + relative + ": " + before
                                + " and " + input.dir() + "; the merge would lose one");
                    }
                    files.put(relative, file);
                }
            }
        }
        return files;
    }
}
