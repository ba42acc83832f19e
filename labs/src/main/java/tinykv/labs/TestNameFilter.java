package tinykv.labs;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Keeps only the tests named by the system property {@code tinykv.test} ({@code make ... TEST=name}),
 * a comma-separated list of test method names. Case does not matter and TinyKV's {@code Test} prefix
 * may be kept, so {@code TEST=TestLeaderElection2AA}, {@code TEST=LeaderElection2AA} and
 * {@code TEST=leaderElection2AA} all select {@code leaderElection2AA}.
 *
 * <p>Registered with the JUnit Platform through {@code META-INF/services}.
 */
public final class TestNameFilter implements PostDiscoveryFilter {
    public static final String PROPERTY = "tinykv.test";

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        Set<String> wanted = wantedNames();
        if (wanted.isEmpty() || !(descriptor.getSource().orElse(null) instanceof MethodSource method)) {
            return FilterResult.included("no test name filter applies");
        }
        return wanted.contains(normalize(method.getMethodName()))
                ? FilterResult.included("named by " + PROPERTY)
                : FilterResult.excluded("not named by " + PROPERTY);
    }

    private static Set<String> wantedNames() {
        return requestedNames().stream().map(TestNameFilter::normalize).collect(Collectors.toSet());
    }

    /** The names given to TEST=, as typed. */
    static List<String> requestedNames() {
        return Arrays.stream(System.getProperty(PROPERTY, "").split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("test") ? lower.substring("test".length()) : lower;
    }
}
