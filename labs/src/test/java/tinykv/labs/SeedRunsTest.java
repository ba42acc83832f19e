package tinykv.labs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
        int jobs = Integer.getInteger(SeedRuns.JOBS, 1);
        Map<String, SeedRuns.TestRecord> records;
        List<SeedRuns.Nondeterminism> nondeterministic;
        if (jobs > 1) {
            ParallelSeedRuns.Result result = new ParallelSeedRuns(SeedRuns.seeds(Integer.getInteger(SeedRuns.RUNS),
                    Seeds.current()), jobs).run();
            records = result.records();
            nondeterministic = result.nondeterministic();
        } else {
            SeedRuns runs = SeedRuns.fromSystemProperties();
            records = runs.run();
            nondeterministic = runs.nondeterministic();
        }
        System.out.print(SeedRuns.report(records, System.getProperty("tinykv.impl"), nondeterministic));
        assertThat(records).as("tests selected").isNotEmpty();
        long failing = records.values().stream().filter(record -> !record.failedSeeds().isEmpty()).count();
        assertThat(failing).as("tests that failed on some seed (the list and replay commands are above)").isZero();
        assertThat(nondeterministic.size()).as("tests that ran two different ways on one seed (the reports are above)")
                .isZero();
    }
}
