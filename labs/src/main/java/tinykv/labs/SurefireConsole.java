package tinykv.labs;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.surefire.report.PojoStackTraceWriter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The console of {@code make lab2aa} when the lab runs in the kit's own launcher ({@link LabLauncher}): the
 * lines Maven Surefire prints with the JUnit 5 tree reporter the labs pom configures, so that the fast path
 * and {@code mvn surefire:test} look the same. Per test class, once it has finished: a tree of its tests
 * ({@code [OK]}, {@code [XX]}, {@code [??]} with the time each took), then each failure's stack trace; at the
 * end, Surefire's "Results" block. Failure texts come from Surefire's own stack-trace writer.
 */
final class SurefireConsole implements TestExecutionListener {
    private static final String INFO = "[INFO] ";
    /** Surefire's format of elapsed seconds: "0 s", "0.123 s", "12.34 s". */
    private static final MessageFormat ELAPSED = new MessageFormat(
            "{0,choice,0#0|0.0<{0,number,0.000}|10#{0,number,0.00}|100#{0,number,0.0}|1000#{0,number,0}} s", Locale.ENGLISH);

    private enum Status { OK, FAILURE, ERROR, SKIPPED }

    /** One test as reported: what Surefire calls a report entry. */
    private record Entry(String name, Status status, long millis, String skipReason, String sortKey,
            String fullName, PojoStackTraceWriter trace) {}

    /** A test class (or a nested class inside it) and its tests, in the order they ran. */
    private static final class Group {
        final String name;
        final int depth;
        final String className;
        final long started = System.nanoTime();
        long millis;
        final List<Entry> entries = new ArrayList<>();

        Group(String name, int depth, String className) {
            this.name = name;
            this.depth = depth;
            this.className = className;
        }
    }

    private final PrintStream out;
    private TestPlan plan;
    private final SurefireReportFiles reports;
    private final Map<String, Group> groupsById = new HashMap<>();
    private final Map<String, Long> testStarts = new HashMap<>();
    private List<Group> currentSet = new ArrayList<>();
    private final List<Entry> all = new ArrayList<>();

    SurefireConsole(PrintStream out, SurefireReportFiles reports) {
        this.out = out;
        this.reports = reports;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        out.println(INFO + "-------------------------------------------------------");
        out.println(INFO + " T E S T S");
        out.println(INFO + "-------------------------------------------------------");
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isClass(id)) {
            openGroup(id);
        } else if (id.isTest()) {
            testStarts.put(id.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (isClass(id)) {
            Group group = openGroup(id);
            for (TestIdentifier test : plan.getDescendants(id)) {
                if (test.isTest()) {
                    groupOf(test).entries.add(entry(test, Status.SKIPPED, 0, reason, null));
                }
            }
            closeGroup(group);
        } else {
            groupOf(id).entries.add(entry(id, Status.SKIPPED, 0, reason, null));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Optional<Throwable> failure = result.getThrowable();
        if (id.isTest()) {
            long millis = (System.nanoTime() - testStarts.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
            Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> Status.OK;
                case ABORTED -> Status.SKIPPED;
                case FAILED -> failure.orElse(null) instanceof AssertionError ? Status.FAILURE : Status.ERROR;
            };
            groupOf(id).entries.add(entry(id, status, status == Status.SKIPPED ? 0 : millis, null, failure.orElse(null)));
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            // A class or method container that failed as a whole (a @BeforeAll, a source of arguments).
            Optional<TestIdentifier> owner = isClass(id) ? Optional.of(id) : nearestClass(id);
            owner.map(type -> groupsById.get(type.getUniqueId()))
                    .ifPresent(group -> group.entries.add(entry(id, Status.ERROR, 0, null, failure.orElse(null))));
        }
        if (isClass(id)) {
            closeGroup(groupsById.get(id.getUniqueId()));
        }
    }

    private Group openGroup(TestIdentifier id) {
        Optional<TestIdentifier> outer = id.getParentIdObject().map(plan::getTestIdentifier).filter(SurefireConsole::isClass);
        Group group;
        String className = ((ClassSource) id.getSource().orElseThrow()).getClassName();
        if (outer.isPresent()) {
            Group parent = groupsById.get(outer.get().getUniqueId());
            group = new Group(parent.name + " " + id.getDisplayName(), parent.depth + 1, className);
        } else {
            currentSet = new ArrayList<>();
            String simpleName = className.substring(className.lastIndexOf('.') + 1);
            group = new Group(id.getDisplayName().equals(simpleName) ? className : id.getDisplayName(), 0, className);
        }
        groupsById.put(id.getUniqueId(), group);
        currentSet.add(group);
        return group;
    }

    private void closeGroup(Group group) {
        group.millis = (System.nanoTime() - group.started) / 1_000_000;
        if (group.depth == 0) {
            printSet(currentSet);
        }
    }

    private Group groupOf(TestIdentifier id) {
        return groupsById.get(nearestClass(id).orElseThrow().getUniqueId());
    }

    private Optional<TestIdentifier> nearestClass(TestIdentifier id) {
        Optional<TestIdentifier> parent = id.getParentIdObject().map(plan::getTestIdentifier);
        while (parent.isPresent() && !isClass(parent.get())) {
            parent = parent.get().getParentIdObject().map(plan::getTestIdentifier);
        }
        return parent;
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().orElse(null) instanceof ClassSource;
    }

    private Entry entry(TestIdentifier id, Status status, long millis, String skipReason, Throwable failure) {
        String className;
        String methodName;
        if (id.getSource().orElse(null) instanceof MethodSource method) {
            className = method.getClassName();
            methodName = method.getMethodName();
        } else {
            className = id.getSource().orElse(null) instanceof ClassSource type ? type.getClassName() : id.getDisplayName();
            methodName = null;
        }
        Entry entry = new Entry(reportName(id), status, millis, skipReason, className + "." + id.getLegacyReportingName(),
                className + (methodName == null ? "" : "." + methodName),
                failure == null ? null : new PojoStackTraceWriter(className, methodName, failure));
        all.add(entry);
        return entry;
    }

    /**
     * A test's name in the tree: its method name, or its own display name if it has one; a case of a
     * parameterized test (or a dynamic test) is its method's display name and the case's.
     */
    private String reportName(TestIdentifier id) {
        Optional<TestIdentifier> parent = id.getParentIdObject().map(plan::getTestIdentifier);
        if (parent.isPresent() && parent.get().getSource().orElse(null) instanceof MethodSource) {
            return parent.get().getDisplayName() + " " + id.getDisplayName();
        }
        if (id.getSource().orElse(null) instanceof MethodSource method) {
            String display = id.getDisplayName();
            boolean byDefault = display.startsWith(method.getMethodName() + "(") && display.endsWith(")");
            return byDefault ? method.getMethodName() : display;
        }
        return id.getDisplayName();
    }

    private void printSet(List<Group> set) {
        for (Group group : set) {
            out.println(INFO + "+--" + "---".repeat(group.depth) + group.name + " - " + elapsed(group.millis));
            for (int i = 0; i < group.entries.size(); i++) {
                Entry entry = group.entries.get(i);
                String branch = i == group.entries.size() - 1 ? "'-- " : "+-- ";
                String reason = entry.status == Status.SKIPPED && entry.skipReason != null && !entry.skipReason.isBlank()
                        ? " (" + entry.skipReason + ")" : "";
                out.println(INFO + "|  " + "   ".repeat(group.depth) + branch + mark(entry.status) + " "
                        + shortName(entry.name) + reason + " - " + elapsed(entry.millis));
            }
        }
        for (Group group : set) {
            for (Entry entry : group.entries) {
                if (entry.trace != null && (entry.status == Status.FAILURE || entry.status == Status.ERROR)) {
                    out.println(INFO);
                    out.println(INFO + "[*] " + shortName(entry.name));
                    out.println(INFO);
                    out.println(INFO + "Stack trace");
                    out.println(INFO + entry.trace.writeTraceToString());
                }
            }
        }
        out.flush();
        writeReport(set);
    }

    private void writeReport(List<Group> set) {
        List<Entry> entries = set.stream().flatMap(group -> group.entries.stream()).toList();
        StringBuilder text = SurefireReportFiles.header(set.get(0).className, entries.size(),
                entries.stream().filter(entry -> entry.status == Status.FAILURE).count(),
                entries.stream().filter(entry -> entry.status == Status.ERROR).count(),
                entries.stream().filter(entry -> entry.status == Status.SKIPPED).count(), elapsed(set.get(0).millis));
        for (Entry entry : entries) {
            if (entry.trace != null && (entry.status == Status.FAILURE || entry.status == Status.ERROR)) {
                SurefireReportFiles.failure(text, entry.fullName, elapsed(entry.millis), entry.status == Status.FAILURE,
                        entry.trace.writeTraceToString());
            }
        }
        reports.write(set.get(0).className, text);
    }

    /** Surefire's closing block: the failures and errors, one line each, and the counts. */
    void printResults() {
        out.println(INFO);
        out.println(INFO + "Results:");
        out.println(INFO);
        boolean listed = list("Failures: ", Status.FAILURE) | list("Errors: ", Status.ERROR);
        if (listed) {
            out.println(INFO);
        }
        long failures = count(Status.FAILURE);
        long errors = count(Status.ERROR);
        long skipped = count(Status.SKIPPED);
        String level = failures + errors > 0 ? "[ERROR] " : skipped > 0 ? "[WARNING] " : INFO;
        out.println(level + "Tests run: " + testsRun() + ", Failures: " + failures + ", Errors: " + errors
                + ", Skipped: " + skipped);
        out.println(INFO);
        out.flush();
    }

    private boolean list(String heading, Status status) {
        List<Entry> entries = all.stream().filter(entry -> entry.status == status)
                .sorted(Comparator.comparing(Entry::sortKey)).toList();
        if (entries.isEmpty()) {
            return false;
        }
        out.println("[ERROR] " + heading);
        entries.forEach(entry -> out.println("[ERROR]   " + entry.trace.smartTrimmedStackTrace()));
        return true;
    }

    int testsRun() {
        return all.size();
    }

    boolean allPassed() {
        return count(Status.FAILURE) + count(Status.ERROR) == 0;
    }

    private long count(Status status) {
        return all.stream().filter(entry -> entry.status == status).count();
    }

    private static String mark(Status status) {
        return switch (status) {
            case OK -> "[OK]";
            case FAILURE, ERROR -> "[XX]";
            case SKIPPED -> "[??]";
        };
    }

    /** As Surefire's tree shows a name: runs of white space made one space, at most 180 characters. */
    private static String shortName(String name) {
        String normalized = name.strip().replaceAll("\\s+", " ");
        return normalized.length() <= 180 ? normalized : normalized.substring(0, 179) + "\u2026";
    }

    private static String elapsed(long millis) {
        synchronized (ELAPSED) {
            return ELAPSED.format(new Object[] {millis / 1000f});
        }
    }
}
