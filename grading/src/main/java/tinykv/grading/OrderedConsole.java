package tinykv.grading;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console of tasks run side by side (submissions graded at once), shown as if they had run one after
 * another: each task's lines stay together, in task order. The first unfinished task writes straight through,
 * so with one task at a time the console is live, as before; a later task's lines wait in memory until every
 * task before it has finished.
 *
 * <p>It replaces {@code System.out} and {@code System.err} while it is open and routes each write by the task of
 * the writing thread, an inheritable thread-local: the grader's own threads (the parts it grades at once, the
 * readers of its forks) are started by the task's thread and so write as the task. Writes of no task (the
 * main thread) go straight through. One lock orders everything; console writes are few and small.
 */
final class OrderedConsole implements AutoCloseable {
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final InheritableThreadLocal<Integer> task = new InheritableThreadLocal<>();
    private final Map<Integer, List<Chunk>> waiting = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private int head;

    private record Chunk(boolean err, byte[] bytes) {}

    OrderedConsole() {
        System.setOut(new PrintStream(new Router(false), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Router(true), true, StandardCharsets.UTF_8));
    }

    /** Runs {@code body} as task {@code index} (0, 1, ...): its output is held until the tasks before it end. */
    <T> T run(int index, java.util.concurrent.Callable<T> body) throws Exception {
        task.set(index);
        try {
            return body.call();
        } finally {
            task.remove();
            finish(index);
        }
    }

    private synchronized void finish(int index) {
        finished.add(index);
        while (finished.contains(head)) {
            head++;
            flush(head);
        }
    }

    private void flush(int index) {
        for (Chunk chunk : waiting.getOrDefault(index, List.of())) {
            (chunk.err ? realErr : realOut).write(chunk.bytes, 0, chunk.bytes.length);
        }
        waiting.remove(index);
        realOut.flush();
        realErr.flush();
    }

    private synchronized void write(boolean err, byte[] bytes, int offset, int length) {
        Integer of = task.get();
        if (of == null || of <= head) { // a task's late thread writes through too
            (err ? realErr : realOut).write(bytes, offset, length);
        } else {
            byte[] copy = new byte[length];
            System.arraycopy(bytes, offset, copy, 0, length);
            waiting.computeIfAbsent(of, k -> new ArrayList<>()).add(new Chunk(err, copy));
        }
    }

    /** Shows what is still held (tasks that failed or never ran), in task order, and gives the console back. */
    @Override
    public synchronized void close() {
        waiting.keySet().stream().sorted().toList().forEach(this::flush);
        System.setOut(realOut);
        System.setErr(realErr);
    }

    /** One of the two streams, routed by the writing thread's task. */
    private final class Router extends OutputStream {
        private final boolean err;

        Router(boolean err) {
            this.err = err;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            OrderedConsole.this.write(err, bytes, offset, length);
        }

        @Override
        public void flush() {
            realOut.flush();
            realErr.flush();
        }
    }
}
