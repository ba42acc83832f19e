package tinykv.grading;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A class graded on one machine: this shard's submissions, up to {@code jobs} at once, each on a lane of its
 * own (a folder to lay its student files in and compile them: {@link BatchGrader}), the console as if one at
 * a time ({@link OrderedConsole}), {@value ScoresFiles#SCORES} written in name order as they finish, and
 * the shard's {@link ShardManifest} last. What grading one submission means is the caller's
 * ({@link SubmissionGrader}), so that the kit's tests can run all of this on stand-in graders.
 */
final class ClassGrading {
    private ClassGrading() {}

    /** Grades one submission into {@code out} on lane {@code lane} (0 .. lanes-1), used by one at a time. */
    interface SubmissionGrader {
        BatchGrader.Result grade(Path submission, Path out, int lane) throws IOException, InterruptedException;
    }

    /** Makes the grader once it is known that some submission is to be graded, and on how many lanes. */
    interface Start {
        SubmissionGrader start(int lanes) throws IOException, InterruptedException;
    }

    /**
     * Grades {@code shard}'s share of the submissions in {@code dir} into {@code out} (replaced), {@code jobs}
     * at once, and returns the manifest it wrote.
     */
    static ShardManifest grade(Path dir, Path out, Shard shard, int jobs, Map<String, String> settings, Start start)
            throws IOException, InterruptedException {
        ScoresFiles.replaceFolder(out);
        List<BatchGrader.Submissions.Entry> all = BatchGrader.Submissions.list(dir);
        List<String> names = all.stream().map(BatchGrader.Submissions.Entry::name).toList();
        ShardManifest manifest = ShardManifest.of(shard, names, settings);
        List<BatchGrader.Submissions.Entry> held = all.stream().filter(e -> manifest.holds().contains(e.name()))
                .toList();
        if (!shard.isWhole()) {
            System.out.printf("Shard %s: %d of the %d submissions: %s%n", shard, held.size(), all.size(),
                    String.join(", ", manifest.holds()));
        }
        ScoresFiles.start(out);
        if (!held.isEmpty()) {
            int lanes = Math.max(1, Math.min(jobs, held.size()));
            gradeAll(held, out, lanes, start.start(lanes));
        }
        manifest.write(out);
        return manifest;
    }

    private static void gradeAll(List<BatchGrader.Submissions.Entry> held, Path out, int lanes,
            SubmissionGrader grader) throws IOException, InterruptedException {
        BlockingQueue<Integer> free = new ArrayBlockingQueue<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            free.add(lane);
        }
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        try (OrderedConsole console = new OrderedConsole()) {
            List<Future<Timed>> graded = new ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                int index = i;
                BatchGrader.Submissions.Entry entry = held.get(i);
                graded.add(pool.submit(() -> console.run(index, () -> {
                    int lane = free.take();
                    try {
                        return gradeOne(entry, index, held.size(), out, lane, grader);
                    } finally {
                        free.add(lane);
                    }
                })));
            }
            for (int i = 0; i < held.size(); i++) {
                Timed timed = graded.get(i).get();
                ScoresFiles.append(out, held.get(i).name(), timed.result, timed.seconds);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("grading a submission failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private record Timed(BatchGrader.Result result, long seconds) {}

    private static Timed gradeOne(BatchGrader.Submissions.Entry entry, int index, int of, Path out, int lane,
            SubmissionGrader grader) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String name = entry.name();
        System.out.printf("[%d/%d] %s: grading...%n", index + 1, of, name);
        Path folder = entry.folder(out.resolve(".unpacked"));
        BatchGrader.Result result = grader.grade(folder, out.resolve(name), lane);
        long seconds = Math.round((System.nanoTime() - start) / 1e9);
        System.out.printf("[%d/%d] %s: %d/%d, %s%s (%d s)%n", index + 1, of, name, result.score(), result.max(),
                result.status(), result.ignored().isEmpty() ? "" : ", " + result.ignored().size() + " ignored file(s)",
                seconds);
        result.ignored().forEach(line -> System.out.println("    ignored " + line));
        return new Timed(result, seconds);
    }
}
