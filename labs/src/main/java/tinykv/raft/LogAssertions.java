package tinykv.raft;

import java.util.ArrayList;
import java.util.List;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;

/**
 * Compares Raft logs and, when they differ, shows both side by side, entry by entry, marking each line
 * that differs. A student sees at a glance which index went wrong.
 */
public final class LogAssertions {
    private LogAssertions() {}

    /** Fails unless {@code actual} has the same committed and applied indexes and entries as {@code expected}. */
    public static void assertLogEquals(String what, RaftLog expected, RaftLog actual) {
        assertLinesEqual(what, describe(expected), describe(actual));
    }

    /** Fails unless the entries are equal (index, term, type and data). */
    public static void assertEntriesEqual(String what, List<Entry> expected, List<Entry> actual) {
        assertLinesEqual(what, describeEntries(expected), describeEntries(actual));
    }

    /** The log as lines: its committed and applied indexes, then one line per entry. */
    public static List<String> describe(RaftLog log) {
        List<String> lines = new ArrayList<>();
        lines.add("committed " + log.committed);
        lines.add("applied " + log.applied);
        lines.addAll(describeEntries(log.allEntries()));
        return lines;
    }

    public static List<String> describeEntries(List<Entry> entries) {
        return entries.stream().map(LogAssertions::describe).toList();
    }

    /** One entry, compactly: {@code #3 term 2 "data"}, with a marker for conf changes. */
    public static String describe(Entry entry) {
        String kind = entry.getEntryType() == EntryType.EntryConfChange ? " confchange" : "";
        return "#" + entry.getIndex() + " term " + entry.getTerm() + kind + " " + quote(entry.getData().toStringUtf8());
    }

    private static void assertLinesEqual(String what, List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return;
        }
        int width = Math.max(8, expected.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder table = new StringBuilder(what).append(" differs from what was expected:\n");
        table.append(String.format("    %-" + width + "s | %s%n", "expected", "actual"));
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "(nothing)";
            String got = i < actual.size() ? actual.get(i) : "(nothing)";
            String marker = want.equals(got) ? "    " : " >> ";
            table.append(String.format("%s%-" + width + "s | %s%n", marker, want, got));
        }
        throw new AssertionError(table.toString());
    }

    private static String quote(String data) {
        return "\"" + data.replace("\n", "\\n") + "\"";
    }
}
