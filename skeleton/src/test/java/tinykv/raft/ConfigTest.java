package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Config validation")
class ConfigTest {

    private static Config.Builder valid() {
        return Config.builder()
                .id(1)
                .peers(1, 2, 3)
                .electionTick(10)
                .heartbeatTick(1)
                .storage(new MemoryStorage())
                .random(new SplittableRandom(7));
    }

    @Test
    @DisplayName("a valid config builds and keeps its values")
    void validConfigBuilds() {
        Config config = valid().applied(4).build();
        assertThat(config.id()).isEqualTo(1);
        assertThat(config.peers()).containsExactly(1L, 2L, 3L);
        assertThat(config.electionTick()).isEqualTo(10);
        assertThat(config.heartbeatTick()).isEqualTo(1);
        assertThat(config.applied()).isEqualTo(4);
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("id 0", c -> c.id(0), "id must not be 0"),
                invalid("null peers", c -> c.peers((List<Long>) null), "peers must not be null"),
                invalid("peer 0", c -> c.peers(1, 0), "peers must not contain 0"),
                invalid("repeated peer", c -> c.peers(1, 2, 2), "peers must not repeat"),
                invalid("heartbeat 0", c -> c.heartbeatTick(0), "heartbeatTick must be greater than 0"),
                invalid("election equal to heartbeat", c -> c.electionTick(1), "electionTick must be greater than heartbeatTick"),
                invalid("election below heartbeat", c -> c.electionTick(3).heartbeatTick(5), "electionTick must be greater than heartbeatTick"),
                invalid("no storage", c -> c.storage(null), "storage must not be null"),
                invalid("negative applied", c -> c.applied(-1), "applied must not be negative"),
                invalid("no random source", c -> c.random(null), "random must not be null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    @DisplayName("an invalid config is refused with the field and the rule")
    void invalidConfigIsRefused(String name, UnaryOperator<Config.Builder> breakIt, String message) {
        assertThatThrownBy(() -> breakIt.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static Arguments invalid(String name, UnaryOperator<Config.Builder> breakIt, String message) {
        return Arguments.of(name, breakIt, message);
    }
}
