package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.MessageType;

@Points(1)
@Tag("lab2aa")
@DisplayName("Lab 2AA: elections under any schedule")
class RaftSearch2AATest extends RaftTestSupport {

    static ScheduleSpec electionSpec(Function<Config, Raft> nodes) {
        return ScheduleSpec.of(3, Seeds.current()).withTicks(2, 1)
                .losing(MessageType.MsgAppend).withNodes(nodes);
    }

    static final ScheduleSearch.Bounds ELECTIONS = new ScheduleSearch.Bounds(
            Integer.getInteger("b.states", 50_000), Integer.getInteger("b.depth", 12),
            Integer.getInteger("b.dups", 1), Integer.getInteger("b.drops", 1),
            Integer.getInteger("b.beats", 1), Integer.getInteger("b.term", 2), List.of());

    @Test
    void searchElections2AA() {
        long t0 = System.nanoTime();
        ScheduleSearch.Result result = ScheduleSearch.run(electionSpec(Raft::new), ELECTIONS);
        System.out.println(result.summary() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        result.failure().ifPresent(f -> { throw f; });
        assertThat(result.highestLeader()).isEqualTo(2);
    }
}
