package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tinykv.cluster.GenericTest.Option.CRASH;
import static tinykv.cluster.GenericTest.Option.PARTITIONS;
import static tinykv.cluster.GenericTest.Option.UNRELIABLE;
import static tinykv.cluster.GenericTest.clients;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How a test describes a generic run: options add up, in their enum order, and bad values are named. */
@Tag("kit")
@DisplayName("Kit: the description of a GenericTest run")
class GenericTestDescriptionTest {

    @Test
    @DisplayName("options add up, once each, in their enum order; the GC limit is kept")
    void optionsAddUp() {
        GenericTest test = clients(5).with(PARTITIONS).with(UNRELIABLE, PARTITIONS).maxRaftLog(100);

        assertThat(test.clients()).isEqualTo(5);
        assertThat(List.copyOf(test.options())).containsExactly(UNRELIABLE, PARTITIONS);
        assertThat(test.has(CRASH)).isFalse();
        assertThat(test.maxRaftLog()).isEqualTo(100);
        assertThat(clients(1).options()).isEmpty();
        assertThat(clients(1).maxRaftLog()).as("no raft-log GC limit by default").isZero();
    }

    @Test
    @DisplayName("a description cannot be changed through its option set")
    void optionsAreImmutable() {
        EnumSet<GenericTest.Option> given = EnumSet.of(CRASH);
        GenericTest test = new GenericTest(1, given, 0);
        given.add(UNRELIABLE);

        assertThat(test.options()).containsExactly(CRASH);
        assertThatThrownBy(() -> test.options().add(PARTITIONS)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("no clients, a negative or zero log limit are refused with the value named")
    void badValuesAreRefused() {
        assertThatThrownBy(() -> clients(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one client, was 0");
        assertThatThrownBy(() -> clients(1).maxRaftLog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRaftLog needs at least one entry, was 0");
        assertThatThrownBy(() -> new GenericTest(1, EnumSet.noneOf(GenericTest.Option.class), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
    }
}
