package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generic clients' scan check names the first value that differs from what was acknowledged. */
class AppendClientKitTest {

    @Test
    @DisplayName("a missing, a wrong and an unacknowledged value are each named")
    void firstDifference() {
        List<String> acknowledged = List.of("x 0 0 y", "x 0 1 y", "x 0 2 y");

        assertThat(AppendClient.firstDifference(acknowledged, List.of("x 0 0 y")))
                .isEqualTo("\"x 0 1 y\" (put number 2, acknowledged) is missing, and 1 after it");
        assertThat(AppendClient.firstDifference(acknowledged, List.of("x 0 0 y", "x 0 2 y", "x 0 2 y")))
                .isEqualTo("value number 2 is \"x 0 2 y\" where \"x 0 1 y\" was acknowledged");
        assertThat(AppendClient.firstDifference(List.of("x 0 0 y"), List.of("x 0 0 y", "x 0 1 y")))
                .isEqualTo("\"x 0 1 y\" is there but its put was never acknowledged");
    }
}
