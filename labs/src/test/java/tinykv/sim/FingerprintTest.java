package tinykv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The determinism contract: a run is a pure function of its seed, in this JVM and in another. */
@Tag("kit")
@DisplayName("Kit: the simulator's fingerprint (same seed, same trace)")
class FingerprintTest {

    @Test
    @DisplayName("the same seed gives the same fingerprint, event count and clock twice in one JVM")
    void sameSeedSameFingerprint() {
        Simulator first = FingerprintScenario.run(42);
        Simulator second = FingerprintScenario.run(42);
        assertThat(first.eventsProcessed()).isGreaterThan(100);
        assertThat(second.fingerprintHex()).isEqualTo(first.fingerprintHex());
        assertThat(second.eventsProcessed()).isEqualTo(first.eventsProcessed());
        assertThat(second.now()).isEqualTo(first.now());
    }

    @Test
    @DisplayName("different seeds give different fingerprints")
    void differentSeedsDifferentFingerprints() {
        assertThat(List.of(1L, 2L, 3L, 42L).stream().map(seed -> FingerprintScenario.run(seed).fingerprintHex()))
                .doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("the same seed gives the same fingerprint in a second JVM")
    void sameFingerprintAcrossJvms() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FingerprintScenario.class.getName(), "42")
                .redirectErrorStream(true)
                .start();
        // A safety net only, so a stuck child cannot hang the build; the child takes well under a second.
        boolean finished = process.waitFor(40, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(finished).as("the second JVM finished; it printed: %s", output).isTrue();
        assertThat(process.exitValue()).as("exit code of the second JVM; it printed: %s", output).isZero();
        assertThat(output).isEqualTo(FingerprintScenario.run(42).fingerprintHex());
    }
}
