package tinykv.labs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The console of {@code make lab2aa} and the other lab targets: one line per test as it finishes (a
 * parameterized test's cases on one line when they agree), each failure right under its test with its
 * cause, a trace cut to the kit's and the student's frames, and the line that replays it; at the end, one
 * summary. A TODO that stops many tests is shown once, with its trace; the other tests it stopped say so
 * in their one line, and the summary says which TODO to write first.
 *
 * <p>It also writes each test class's report to {@code labs/target/surefire-reports} ({@link
 * SurefireReportFiles}), with the whole stack traces.
 */
final class LabConsole implements TestExecutionListener {
    private final PrintStream out;
    private final SurefireReportFiles reports;
    private TestPlan plan;
    private final Map<String, Long> starts = new HashMap<>();
    /** The finished cases of each parameterized (or dynamic) test, by the container's id, until it finishes. */
    private final Map<String, List<Outcome>> casesByContainer = new HashMap<>();
    /** Every test class's outcomes, for its report file. */
    private final Map<String, List<Outcome>> outcomesByClass = new LinkedHashMap<>();
    /** The TODOs reached, each with the tests (methods) it stopped, in the order first reached. */
    private final Map<String, List<String>> testsByTodo = new LinkedHashMap<>();
    private final Map<String, Boolean> passedByMethod = new LinkedHashMap<>();
    private final List<String> failedWithoutTodo = new ArrayList<>();
    private int cases;

    LabConsole(PrintStream out, SurefireReportFiles reports) {
        this.out = out;
        this.reports = reports;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        starts.put(id.getUniqueId(), System.nanoTime());
        if (isTopLevelClass(id)) {
            out.println();
            out.println(id.getDisplayName());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest() || isMethod(id)) {
            printLine(id, "[??]", "skipped" + (reason == null || reason.isBlank() ? "" : ": " + reason));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        long millis = (System.nanoTime() - starts.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
        Optional<TestIdentifier> parent = id.getParentIdObject().map(plan::getTestIdentifier);
        if (id.isTest()) {
            cases++;
            Outcome outcome = new Outcome(id, result, millis);
            record(outcome);
            if (parent.isPresent() && isMethod(parent.get())) {
                casesByContainer.computeIfAbsent(parent.get().getUniqueId(), key -> new ArrayList<>()).add(outcome);
            } else {
                print(id, List.of(outcome), millis);
            }
        } else if (isMethod(id)) {
            List<Outcome> outcomes = casesByContainer.getOrDefault(id.getUniqueId(), List.of());
            if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                // The container itself failed (its source of arguments, say): that is this test's verdict.
                Outcome whole = new Outcome(id, result, millis);
                record(whole);
                outcomes = List.of(whole);
            }
            print(id, outcomes, millis);
        } else if (isClass(id) && result.getStatus() == TestExecutionResult.Status.FAILED) {
            Outcome whole = new Outcome(id, result, millis); // a @BeforeAll or the like: every test of the class
            record(whole);
            print(id, List.of(whole), millis);
        }
        if (isTopLevelClass(id)) {
            writeReport(id);
        }
    }

    /** One line for a test (its cases together when they agree), each distinct failure in full under it. */
    private void print(TestIdentifier test, List<Outcome> outcomes, long millis) {
        List<Outcome> failed = outcomes.stream().filter(Outcome::failed).toList();
        String name = testName(test);
        passedByMethod.merge(name, failed.isEmpty(), Boolean::logicalAnd);
        String caseCount = outcomes.size() > 1 ? " (" + outcomes.size() + " cases)" : "";
        List<Outcome> aborted = outcomes.stream().filter(Outcome::aborted).toList();
        if (failed.isEmpty() && !aborted.isEmpty()) {
            printLine(test, "[??]", "skipped: " + aborted.get(0).result().getThrowable().map(Throwable::getMessage)
                    .orElse("an assumption did not hold") + caseCount);
            return;
        }
        if (failed.isEmpty()) {
            printLine(test, "[OK]", FailureText.seconds(millis) + caseCount);
            return;
        }
        Map<String, List<Outcome>> byCause = new LinkedHashMap<>();
        for (Outcome outcome : failed) {
            byCause.computeIfAbsent(outcome.text().causeKey(), key -> new ArrayList<>()).add(outcome);
        }
        String cases = outcomes.size() == 1 ? "" : failed.size() == outcomes.size()
                ? " (all " + outcomes.size() + " cases)" : " (" + failed.size() + " of " + outcomes.size() + " cases failed)";
        if (byCause.size() == 1) {
            FailureText text = failed.get(0).text();
            Optional<String> todo = text.todo();
            if (todo.isPresent() && testsByTodo.containsKey(todo.get())) {
                printLine(test, "[XX]", "stopped at the same TODO: " + todo.get() + cases);
                noteTodo(todo.get(), name);
                return;
            }
            printLine(test, "[XX]", FailureText.seconds(millis) + cases);
            printFailure(name, text, "       ");
            text.replay().ifPresent(replay -> out.println("       " + replay));
            return;
        }
        printLine(test, "[XX]", FailureText.seconds(millis) + cases);
        for (List<Outcome> group : byCause.values()) {
            Outcome first = group.get(0);
            out.println("       case " + first.id().getDisplayName() + (group.size() > 1
                    ? " and " + (group.size() - 1) + " more with the same failure" : "") + ":");
            printFailure(name, first.text(), "         ");
        }
        failed.get(0).text().replay().ifPresent(replay -> out.println("       " + replay));
    }

    private void printFailure(String testName, FailureText text, String indent) {
        text.todo().ifPresentOrElse(todo -> noteTodo(todo, testName), () -> failedWithoutTodo.add(testName));
        for (String line : text.lines()) {
            out.println(indent + line);
        }
    }

    private void noteTodo(String todo, String testName) {
        List<String> tests = testsByTodo.computeIfAbsent(todo, key -> new ArrayList<>());
        if (!tests.contains(testName)) {
            tests.add(testName);
        }
    }

    private void printLine(TestIdentifier test, String mark, String detail) {
        out.println("  " + mark + " " + testName(test) + "  " + detail);
        out.flush();
    }

    /** The closing lines: how many tests passed, counted per test method as TinyKV counts, and what to do next. */
    void printSummary() {
        long passed = passedByMethod.values().stream().filter(Boolean::booleanValue).count();
        long failed = passedByMethod.size() - passed;
        out.println();
        out.printf("Lab tests: %d passed, %d failed (%d %s)%n", passed, failed, cases, cases == 1 ? "case" : "cases");
        if (!testsByTodo.isEmpty()) {
            Map.Entry<String, List<String>> first = testsByTodo.entrySet().iterator().next();
            int stopped = testsByTodo.values().stream().mapToInt(List::size).sum();
            out.printf("%d %s stopped at a TODO; the first one reached is %s (%d %s): write it first.%n", stopped,
                    stopped == 1 ? "test" : "tests", first.getKey(), first.getValue().size(),
                    first.getValue().size() == 1 ? "test" : "tests");
        }
        if (!failedWithoutTodo.isEmpty()) {
            out.println("Failed: " + String.join(", ", failedWithoutTodo.stream().distinct().toList())
                    + " (each failure above ends with the command that replays it)");
        }
        out.flush();
    }

    int testsRun() {
        return cases;
    }

    boolean allPassed() {
        return passedByMethod.values().stream().allMatch(Boolean::booleanValue)
                && outcomesByClass.values().stream().flatMap(List::stream).noneMatch(Outcome::failed);
    }

    private void record(Outcome outcome) {
        String className = className(outcome.id());
        outcomesByClass.computeIfAbsent(className, key -> new ArrayList<>()).add(outcome);
    }

    private void writeReport(TestIdentifier testClass) {
        String className = className(testClass);
        List<Outcome> outcomes = plan.getDescendants(testClass).stream()
                .map(TestIdentifier::getUniqueId).flatMap(id -> outcomesByClass.getOrDefault(className, List.of())
                        .stream().filter(outcome -> outcome.id().getUniqueId().equals(id)))
                .toList();
        long failures = outcomes.stream().filter(o -> o.failed() && o.text().isAssertion()).count();
        long errors = outcomes.stream().filter(o -> o.failed() && !o.text().isAssertion()).count();
        long millis = (System.nanoTime() - starts.getOrDefault(testClass.getUniqueId(), System.nanoTime())) / 1_000_000;
        StringBuilder text = SurefireReportFiles.header(className, outcomes.size(), failures, errors, 0,
                FailureText.seconds(millis));
        for (Outcome outcome : outcomes) {
            if (outcome.failed()) {
                SurefireReportFiles.failure(text, className + "." + outcome.id().getLegacyReportingName(),
                        FailureText.seconds(outcome.millis()), outcome.text().isAssertion(), outcome.text().fullTrace());
            }
        }
        reports.write(className, text);
    }

    /** A test's name as a student types it after TEST=: the method's name, or the display name it was given. */
    private String testName(TestIdentifier id) {
        if (id.getSource().orElse(null) instanceof MethodSource method) {
            Optional<TestIdentifier> parent = id.getParentIdObject().map(plan::getTestIdentifier);
            if (parent.isPresent() && isMethod(parent.get()) && id.isTest()) {
                return method.getMethodName() + " " + id.getDisplayName();
            }
            return method.getMethodName();
        }
        return id.getDisplayName();
    }

    private String className(TestIdentifier id) {
        TestIdentifier current = id;
        while (true) {
            if (current.getSource().orElse(null) instanceof ClassSource type) {
                return type.getJavaClass().getName().replaceAll("\\$.*", "");
            }
            if (current.getSource().orElse(null) instanceof MethodSource method) {
                return method.getClassName().replaceAll("\\$.*", "");
            }
            Optional<TestIdentifier> parent = current.getParentIdObject().map(plan::getTestIdentifier);
            if (parent.isEmpty()) {
                return current.getDisplayName();
            }
            current = parent.get();
        }
    }

    private boolean isTopLevelClass(TestIdentifier id) {
        return isClass(id) && id.getParentIdObject().map(plan::getTestIdentifier).filter(LabConsole::isClass).isEmpty();
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof ClassSource;
    }

    private static boolean isMethod(TestIdentifier id) {
        return id.isContainer() && id.getSource().orElse(null) instanceof MethodSource;
    }

    /** One finished test (or a container that failed as a whole), with its failure's text made once. */
    private record Outcome(TestIdentifier id, TestExecutionResult result, long millis, FailureText text) {
        Outcome(TestIdentifier id, TestExecutionResult result, long millis) {
            this(id, result, millis, result.getThrowable().map(t -> new FailureText(t, testClass(id))).orElse(null));
        }

        private static String testClass(TestIdentifier id) {
            Object source = id.getSource().orElse(null);
            String name = source instanceof MethodSource method ? method.getClassName()
                    : source instanceof ClassSource type ? type.getClassName() : "";
            return name.replaceAll("\\$.*", "");
        }

        boolean failed() {
            return result.getStatus() == TestExecutionResult.Status.FAILED;
        }

        boolean aborted() {
            return result.getStatus() == TestExecutionResult.Status.ABORTED;
        }
    }
}
