package tinykv.determinism;

import java.util.Random;

/** Code that breaks the determinism contract on purpose, to prove that each rule notices. Never called. */
final class Violations {
    private Violations() {}

    static final class StartsThread {
        void run() {
            new Thread(() -> {}).start();
        }
    }

    static final class Waits {
        synchronized void run() throws InterruptedException {
            wait(10);
        }
    }

    static final class ReadsClock {
        long run() {
            return System.currentTimeMillis() + java.time.Instant.now().getNano();
        }
    }

    static final class MakesRandom {
        double run() {
            return new Random().nextDouble() + Math.random();
        }
    }
}
