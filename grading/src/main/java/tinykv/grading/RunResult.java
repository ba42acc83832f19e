package tinykv.grading;

import java.util.OptionalLong;

/** One run of one test (at one seed, for a seeded test), as the forked JVM reported it. */
public record RunResult(String uniqueId, OptionalLong seed, Verdict verdict, long millis, String detail) {

    public boolean passed() {
        return verdict == Verdict.PASSED;
    }
}
