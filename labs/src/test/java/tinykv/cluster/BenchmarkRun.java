package tinykv.cluster;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The entry point of {@code make bench}: runs {@link Benchmark} in the test JVM (-Xmx1g). Asserts nothing. */
@Tag("bench")
@EnabledIfSystemProperty(named = "tinykv.bench", matches = "true")
@DisplayName("Benchmark: committed operations per wall second (not a test)")
class BenchmarkRun {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    @DisplayName("5 stores, 5 clients, reliable network; without and with log GC")
    void benchmark() {
        Benchmark.main(new String[0]);
    }
}
