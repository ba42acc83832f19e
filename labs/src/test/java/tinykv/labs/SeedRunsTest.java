package tinykv.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The entry point of {@code make <lab> RUNS=n} (see {@link SeedRuns}); disabled in every other run. Each
 * nested test keeps its own 60 s limit; this one only bounds the whole batch.
 */
@Tag(SeedRuns.WRAPPER_TAG)
@EnabledIfSystemProperty(named = SeedRuns.RUNS, matches = "\\s*[0-9]+\\s*")
@DisplayName("RUNS: the selected tests over several seeds")
class SeedRunsTest {

    @Test
    @Timeout(value = 12, unit = TimeUnit.HOURS)
    @DisplayName("every selected test passes on every seed")
    void selectedTestsPassOnEverySeed() {
        Map<String, SeedRuns.TestRecord> records = SeedRuns.fromSystemProperties().run();
        String report = SeedRuns.report(records, System.getProperty("tinykv.impl"));
        System.out.print(report);
        assertThat(records).as("tests selected").isNotEmpty();
        long failing = records.values().stream().filter(record -> !record.failedSeeds().isEmpty()).count();
        assertThat(failing).as("tests that failed on some seed (the list and replay commands are above)").isZero();
    }
}
