package tinykv.labs;

import java.util.OptionalLong;

/**
 * The one command that replays a test run exactly: {@code make lab2b TEST=basic2B SEED=3}. Every report
 * that prints one (a failing test, {@code RUNS=}, the grader) builds it here.
 */
public final class Replay {
    private Replay() {}

    /**
     * @param target the make target: a lab part's tag ({@code lab2b})
     * @param impl   skeleton or reference; {@code IMPL=reference} is added for the latter only
     * @param test   the test method's name
     * @param seed   the seed, or empty for a test that is not seeded
     */
    public static String command(String target, String impl, String test, OptionalLong seed) {
        return "make " + target + ("reference".equals(impl) ? " IMPL=reference" : "") + " TEST=" + test
                + (seed.isPresent() ? " SEED=" + seed.getAsLong() : "");
    }
}
