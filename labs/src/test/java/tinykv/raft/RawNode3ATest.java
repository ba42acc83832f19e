package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.ConfChange;
import tinykv.proto.eraftpb.ConfChangeType;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;

/** Lab 3A: proposing membership changes through a RawNode. */
@Points(1)
@Tag("lab3a")
@DisplayName("3A RawNode conf changes")
class RawNode3ATest extends RaftTestSupport {

    /** A RawNode hands both a proposed command and a proposed conf change to its Raft log, in order. */
    @Test
    void rawNodeProposeAndConfChange3A() {
        MemoryStorage storage = new MemoryStorage();
        RawNode rawNode = new RawNode(newTestConfig(1, ids(1), 10, 1, storage).build());
        Ready rd = rawNode.ready();
        storage.append(rd.entries());
        rawNode.advance(rd);

        Ready idle = rawNode.ready();
        assertThat(idle.hardState())
                .as("hard state in the Ready after the first was advanced, with no input")
                .isEmpty();
        assertThat(idle.entries())
                .as("entries in the Ready after the first was advanced, with no input")
                .isEmpty();

        rawNode.campaign();
        rd = rawNode.ready();
        assertThat(rd.softState().map(SoftState::lead))
                .as("leader in the soft state of the Ready after single node 1 campaigned")
                .contains(1L);

        rawNode.propose("somedata".getBytes(StandardCharsets.UTF_8));
        ConfChange cc = addNode(1);
        rawNode.proposeConfChange(cc);

        List<Entry> entries = rawNode.raft.raftLog.allEntries();
        assertThat(entries)
                .as("node 1's log after a command and a conf change were proposed")
                .hasSizeGreaterThanOrEqualTo(2);
        Entry command = entries.get(entries.size() - 2);
        Entry change = entries.get(entries.size() - 1);
        assertThat(command.getData().toStringUtf8())
                .as("data of the next-to-last entry (the command)")
                .isEqualTo("somedata");
        assertThat(change.getEntryType())
                .as("type of the last entry (the conf change)")
                .isEqualTo(EntryType.EntryConfChange);
        assertThat(change.getData())
                .as("data of the last entry: the ConfChange, serialized")
                .isEqualTo(cc.toByteString());
    }

    /** Adding a node that is already a member changes nothing, and does not block adding a new node afterwards. */
    @Test
    void rawNodeProposeAddDuplicateNode3A() {
        MemoryStorage storage = new MemoryStorage();
        RawNode rawNode = new RawNode(newTestConfig(1, ids(1), 10, 1, storage).build());
        Ready rd = rawNode.ready();
        storage.append(rd.entries());
        rawNode.advance(rd);

        rawNode.campaign();
        boolean leader = false;
        for (int round = 0; round < 10 && !leader; round++) {
            rd = rawNode.ready();
            storage.append(rd.entries());
            leader = rd.softState().map(SoftState::lead).orElse(Raft.NONE) == 1;
            rawNode.advance(rd);
        }
        assertThat(leader).as("whether any of 10 Readys after single node 1 campaigned reports it as leader").isTrue();

        ConfChange cc1 = addNode(1);
        proposeConfChangeAndApply(rawNode, storage, cc1);
        proposeConfChangeAndApply(rawNode, storage, cc1); // node 1 again: a duplicate
        ConfChange cc2 = addNode(2);
        proposeConfChangeAndApply(rawNode, storage, cc2);

        long lastIndex = storage.lastIndex();
        List<ByteString> lastThree =
                storage.entries(lastIndex - 2, lastIndex + 1).stream().map(Entry::getData).toList();
        assertThat(lastThree)
                .as("data of the last three stored entries: add node 1, add node 1 again, add node 2")
                .containsExactly(cc1.toByteString(), cc1.toByteString(), cc2.toByteString());
        // Differs from TinyKV: it does not look at the resulting membership.
        assertThat(rawNode.raft.prs.keySet())
                .as("node 1's members after adding node 1 twice, then node 2")
                .containsExactly(1L, 2L);
    }

    // ---- helpers ----

    private static ConfChange addNode(long id) {
        return ConfChange.newBuilder().setChangeType(ConfChangeType.AddNode).setNodeId(id).build();
    }

    /** Proposes the change, then plays the application for one Ready: persist, apply conf changes, advance. */
    private static void proposeConfChangeAndApply(RawNode rawNode, MemoryStorage storage, ConfChange cc) {
        rawNode.proposeConfChange(cc);
        Ready rd = rawNode.ready();
        storage.append(rd.entries());
        for (Entry entry : rd.committedEntries()) {
            if (entry.getEntryType() == EntryType.EntryConfChange) {
                rawNode.applyConfChange(parseConfChange(entry));
            }
        }
        rawNode.advance(rd);
    }

    private static ConfChange parseConfChange(Entry entry) {
        try {
            return ConfChange.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("a committed EntryConfChange at index " + entry.getIndex()
                    + " does not hold a ConfChange", e);
        }
    }
}
