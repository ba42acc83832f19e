package tinykv.labs;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code make <lab> RUNS=n JOBS=m}: the seeds are dealt round-robin to m JVMs (job k runs seeds SEED+k,
 * SEED+k+m, ...), each a {@link SeedRuns} of its own, and their records are merged into the one report a single
 * JVM would print. Every run is a function of its test and seed alone, so how the seeds are shared changes no
 * verdict. Each job's progress lines ({@code [runs] ...}) reach the console as they come; its other output (the
 * tests' own lines) is dropped, since lines of several jobs would interleave.
 */
public final class ParallelSeedRuns {
    /** A job's closing lines, which the parent parses: one per test, then one per nondeterministic test. */
    private static final String RECORD = "[runs-record]\t";
    private static final String NONDETERMINISM = "[runs-nondeterministic]\t";

    private final List<Long> seeds;
    private final int jobs;

    public ParallelSeedRuns(List<Long> seeds, int jobs) {
        if (jobs < 2) {
            throw new IllegalArgumentException("JOBS must be at least 2 to share the seeds, was " + jobs);
        }
        this.seeds = List.copyOf(seeds);
        this.jobs = Math.min(jobs, seeds.size());
    }

    /** The seeds of job {@code k}: SEED+k, SEED+k+m, ... */
    static List<Long> share(List<Long> seeds, int jobs, int k) {
        List<Long> share = new ArrayList<>();
        for (int i = k; i < seeds.size(); i += jobs) {
            share.add(seeds.get(i));
        }
        return share;
    }

    /** Runs the jobs to their end; the merged records and the nondeterministic tests, as one JVM would give. */
    public Result run() {
        List<Process> processes = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        Map<String, SeedRuns.TestRecord> records = new TreeMap<>();
        List<SeedRuns.Nondeterminism> nondeterministic = new ArrayList<>();
        try {
            for (int k = 0; k < jobs; k++) {
                Process process = start(share(seeds, jobs, k), k == 0);
                processes.add(process);
                Thread reader = new Thread(() -> read(process, records, nondeterministic), "seed job " + k);
                reader.start();
                readers.add(reader);
            }
            for (int k = 0; k < jobs; k++) {
                readers.get(k).join();
                int status = processes.get(k).waitFor();
                if (status != 0) {
                    throw new IllegalStateException("seed job " + k + " (seeds " + share(seeds, jobs, k)
                            + ") ended with status " + status);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the seed jobs ran", e);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        return new Result(records, nondeterministic);
    }

    public record Result(Map<String, SeedRuns.TestRecord> records, List<SeedRuns.Nondeterminism> nondeterministic) {}

    private static Process start(List<Long> share, boolean checksDeterminism) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!argument.startsWith("-D" + SeedRuns.JOBS + "=") && !argument.startsWith("-D" + SeedRuns.DETERMINISM + "=")
                    && !argument.startsWith("-agentlib") && !argument.startsWith("-javaagent")) {
                command.add(argument);
            }
        }
        command.add("-D" + SeedRuns.SEEDS + "=" + share.stream().map(String::valueOf).collect(Collectors.joining(",")));
        command.add("-D" + SeedRuns.DETERMINISM + "=" + (checksDeterminism && Boolean.getBoolean(SeedRuns.DETERMINISM)));
        command.add("-cp");
        command.add(classPath());
        command.add(Job.class.getName());
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a seed job: " + command, e);
        }
    }

    /** The class path the tests run on: the lab loop's class loader, or the JVM's own under Maven. */
    private static String classPath() {
        if (ParallelSeedRuns.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("a class path entry that is no file: " + url, e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void read(Process process, Map<String, SeedRuns.TestRecord> records,
            List<SeedRuns.Nondeterminism> nondeterministic) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(RECORD)) {
                    merge(records, parseRecord(line.substring(RECORD.length())));
                } else if (line.startsWith(NONDETERMINISM)) {
                    String[] f = line.substring(NONDETERMINISM.length()).split("\t", -1);
                    synchronized (nondeterministic) {
                        nondeterministic.add(new SeedRuns.Nondeterminism(f[0], Long.parseLong(f[1]),
                                f[2].replace("\\n", "\n")));
                    }
                } else if (line.startsWith("[runs]") || line.startsWith("Exception") || line.startsWith("\tat ")) {
                    synchronized (System.out) {
                        System.out.println(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a seed job's output", e);
        }
    }

    private static SeedRuns.TestRecord parseRecord(String fields) {
        String[] f = fields.split("\t", -1);
        List<Long> failed = f[3].isEmpty() ? new ArrayList<>()
                : new ArrayList<>(java.util.Arrays.stream(f[3].split(",")).map(Long::parseLong).toList());
        return new SeedRuns.TestRecord(f[0], f[1], failed, Integer.parseInt(f[2]));
    }

    private static void merge(Map<String, SeedRuns.TestRecord> records, SeedRuns.TestRecord job) {
        synchronized (records) {
            records.merge(job.name(), job, (a, b) -> {
                List<Long> failed = new ArrayList<>(a.failedSeeds());
                failed.addAll(b.failedSeeds());
                failed.sort(null);
                return new SeedRuns.TestRecord(a.name(), a.labPart(), failed, a.runs() + b.runs());
            });
        }
    }

    /** One job: its share of the seeds, then its records as lines the parent parses. */
    public static final class Job {
        private Job() {}

        public static void main(String[] args) {
            SeedRuns runs = SeedRuns.fromSystemProperties();
            Map<String, SeedRuns.TestRecord> records = runs.run();
            for (SeedRuns.TestRecord record : records.values()) {
                System.out.println(RECORD + record.name() + "\t" + record.labPart() + "\t" + record.runs() + "\t"
                        + record.failedSeeds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            for (SeedRuns.Nondeterminism n : runs.nondeterministic()) {
                // One line per report: its line breaks travel as \n (an event's text holds no backslash-n).
                System.out.println(NONDETERMINISM + n.test() + "\t" + n.seed() + "\t" + n.report().replace("\n", "\\n"));
            }
            System.out.flush();
            System.exit(0);
        }
    }
}
