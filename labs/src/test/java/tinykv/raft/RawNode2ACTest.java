package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static tinykv.raft.LogAssertions.assertEntriesEqual;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;

/** Lab 2AC: the RawNode's Ready / advance cycle on start and on restart. */
@Points(1)
@Tag("lab2ac")
@DisplayName("2AC RawNode")
class RawNode2ACTest extends RaftTestSupport {

    /** A new single-node group elects itself, then commits a proposal in the very next Ready. */
    @Test
    void rawNodeStart2AC() {
        MemoryStorage storage = new MemoryStorage();
        RawNode rawNode = new RawNode(newTestConfig(1, ids(1), 10, 1, storage).build());
        rawNode.campaign();
        Ready rd = rawNode.ready();
        storage.append(rd.entries());
        rawNode.advance(rd);

        rawNode.propose("foo".getBytes(StandardCharsets.UTF_8));
        rd = rawNode.ready();

        assertThat(rd.entries())
                .as("entries to persist in the Ready after proposing \"foo\" to single-node leader 1")
                .hasSize(1);
        assertThat(rd.entries().get(0).getData().toStringUtf8())
                .as("data of the entry to persist after proposing \"foo\"")
                .isEqualTo("foo");
        assertEntriesEqual("committed entries in the same Ready (a single node commits at once)",
                rd.entries(), rd.committedEntries());
        storage.append(rd.entries());
        rawNode.advance(rd);

        assertThat(rawNode.hasReady())
                .as("hasReady() once the proposal was persisted, applied and advanced")
                .isFalse();
    }

    /** A restarted node reports only the entries committed before the crash: its hard state is already stored. */
    @Test
    void rawNodeRestart2AC() {
        List<Entry> entries = List.of(entry(1, 1), entry(2, 1, "foo"));
        MemoryStorage storage = new MemoryStorage();
        storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(1).build());
        storage.append(entries);

        RawNode rawNode = new RawNode(newTestConfig(1, List.of(), 10, 1, storage).build());

        Ready rd = rawNode.ready();
        assertEntriesEqual("committed entries of the first Ready after a restart with commit 1",
                entries.subList(0, 1), rd.committedEntries());
        Ready want = new Ready(
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), entries.subList(0, 1), List.of());
        assertThat(rd)
                .as("the first Ready after a restart: nothing to persist (hard state and entries are already "
                        + "stored), only entry 1 to apply")
                .isEqualTo(want);
        rawNode.advance(rd);
        assertThat(rawNode.hasReady()).as("hasReady() after advancing the only Ready there was").isFalse();
    }
}
