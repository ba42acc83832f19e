package tinykv.labs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to say when {@code TEST=} matched nothing in the lab part that ran: the part the test belongs to, if
 * it is another one ({@code proposal2AB} is in lab2ab), or else the closest names, for a typo.
 */
final class TestNameHints {
    /** A name this many edits away or closer is offered as what the student meant. */
    private static final int MAX_DISTANCE = 3;

    private TestNameHints() {}

    /**
     * @param wanted     the names given to TEST=, as typed
     * @param part       the lab part that ran, as its target names it ({@code lab2aa})
     * @param partsByTest every staged test method's name and the lab parts (tags) it belongs to
     */
    static String explain(Collection<String> wanted, String part, Map<String, Set<String>> partsByTest) {
        StringBuilder text = new StringBuilder();
        for (String name : wanted) {
            String key = TestNameFilter.normalize(name);
            List<String> sameName = partsByTest.keySet().stream().filter(test -> TestNameFilter.normalize(test).equals(key)).toList();
            if (!sameName.isEmpty()) {
                String test = sameName.get(0);
                String other = partsByTest.get(test).stream().sorted().findFirst().orElse("?");
                text.append(String.format("No test is named %s in %s: %s is a test of %s. Run: make %s TEST=%s%n",
                        name, part, test, other, other, test));
                continue;
            }
            List<String> close = partsByTest.keySet().stream()
                    .filter(test -> distance(TestNameFilter.normalize(test), key) <= MAX_DISTANCE)
                    .sorted(Comparator.comparingInt((String test) -> distance(TestNameFilter.normalize(test), key))
                            .thenComparing(Comparator.naturalOrder()))
                    .limit(3).toList();
            text.append(String.format("No test is named %s (TEST=%s).%s%n", name, name, close.isEmpty() ? ""
                    : " Did you mean " + String.join(" or ", withParts(close, partsByTest)) + "?"));
        }
        return text.toString().stripTrailing();
    }

    private static List<String> withParts(List<String> tests, Map<String, Set<String>> partsByTest) {
        List<String> named = new ArrayList<>();
        for (String test : tests) {
            named.add(test + " (" + String.join(", ", partsByTest.get(test).stream().sorted().toList()) + ")");
        }
        return named;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
