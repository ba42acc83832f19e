package tinykv.grading;

/**
 * One graded test as discovered: a test method (a parameterized method is one test), the lab part whose
 * tag it carries, its points, whether it runs over several seeds ({@code @Seeded}) and whether it is an
 * instructor-only test ({@code @Hidden}).
 */
public record PlannedTest(String part, String uniqueId, String className, String methodName, String displayName,
        int points, boolean seeded, boolean hidden) {

    /** {@code Raft2AATest.leaderCycle2AA}. */
    public String shortName() {
        String simple = className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
        return simple + "." + methodName;
    }
}
