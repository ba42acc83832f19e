package tinykv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static tinykv.raft.LogAssertions.assertEntriesEqual;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.labs.Points;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;

/** Lab 2C: installing snapshots, sending them to lagging followers, and restarting from one. */
@Points(1)
@Tag("lab2c")
@DisplayName("2C snapshots")
class Raft2CTest extends RaftTestSupport {

    /** A node that installs a snapshot takes its last index, last term and membership (Raft §7). */
    @Test
    void restoreSnapshot2C() {
        Snapshot snapshot = snapshot(11, 11, 1, 2, 3);
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, new MemoryStorage());

        r.handleSnapshot(snapshotMessage(2, 1, 0, snapshot));

        assertThat(r.raftLog.lastIndex())
                .as("node 1's last log index after installing a snapshot at index 11")
                .isEqualTo(11);
        assertThat(r.raftLog.term(11))
                .as("node 1's term of entry 11 after installing a snapshot of term 11 at index 11")
                .isEqualTo(11);
        assertThat(r.prs.keySet())
                .as("node 1's members after installing a snapshot whose conf state is {1, 2, 3}")
                .containsExactly(1L, 2L, 3L);
    }

    /** A snapshot older than what the node has already committed is ignored: the log stays as it is (Raft §7). */
    @Test
    void restoreIgnoreSnapshot2C() {
        MemoryStorage storage = new MemoryStorage();
        List<Entry> log = List.of(entry(1, 1), entry(2, 1), entry(3, 1));
        storage.append(log);
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, storage);
        r.raftLog.committed = 3;

        r.handleSnapshot(snapshotMessage(2, 1, 0, snapshot(1, 1, 1, 2)));

        assertThat(r.raftLog.committed)
                .as("node 1's committed index after it was handed a snapshot at index 1 while already committed at 3")
                .isEqualTo(3);
        // Differs from TinyKV: it checks only the commit index. An ignored snapshot must not touch the log, nor be
        // handed to the application (which would then install a stale snapshot over newer state).
        assertEntriesEqual("node 1's log after ignoring a stale snapshot", log, r.raftLog.allEntries());
        assertThat(r.raftLog.pendingSnapshot)
                .as("node 1's pending snapshot after ignoring a snapshot older than its commit index")
                .isNull();
    }

    /**
     * A snapshot whose last entry the log already holds keeps the entries after it (Raft §7): the follower may
     * have acknowledged them, and its leader never sends again what was acknowledged. Our own test: on an
     * unreliable network a leader that compacted its log sends such a snapshot to a follower ahead of it.
     */
    @Test
    void restoreKeepsEntriesAfterMatchingSnapshot2C() {
        MemoryStorage storage = new MemoryStorage();
        List<Entry> log = List.of(entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1), entry(5, 1));
        storage.append(log);
        Raft r = newTestRaft(1, ids(1, 2), 10, 1, storage);
        r.raftLog.committed = 1;

        r.handleSnapshot(snapshotMessage(2, 1, 0, snapshot(3, 1, 1, 2)));

        assertEntriesEqual("node 1's log (entries 1 to 5 of term 1) after a snapshot at index 3 of term 1", log,
                r.raftLog.allEntries());
        assertThat(r.raftLog.committed)
                .as("node 1's committed index (was 1) after a snapshot at index 3 its log already holds")
                .isEqualTo(3);
        assertThat(readMessages(r))
                .as("node 1's answer to that snapshot: it must not report less than entry 3")
                .extracting(Message::getMsgType, Message::getReject, m -> m.getIndex() >= 3)
                .containsExactly(tuple(MessageType.MsgAppendResponse, false, true));
    }

    /** A leader whose follower needs entries it has compacted away sends that follower a snapshot (Raft §7). */
    @Test
    void provideSnap2C() {
        // Installing a snapshot leaves node 1 with no entries before index 12.
        Raft r = newTestRaft(1, ids(1), 10, 1, new MemoryStorage());
        r.handleSnapshot(snapshotMessage(2, 1, 0, snapshot(11, 11, 1, 2)));
        r.becomeCandidate();
        r.becomeLeader();
        readMessages(r);

        // Pretend node 2 needs entry 10, which only the snapshot covers now.
        r.prs.get(2L).next = 10;
        r.step(message(MessageType.MsgPropose, 2, 1).addEntries(entryWithData("somedata")).build());

        List<Message> msgs = readMessages(r);
        assertThat(msgs)
                .as("what leader 1 sends after a proposal, when node 2's next index (10) is below its snapshot (11)")
                .extracting(Message::getMsgType, Message::getTo)
                .containsExactly(tuple(MessageType.MsgSnapshot, 2L));
    }

    /** A follower that receives a snapshot from the leader of a newer term follows that leader (Raft §7). */
    @Test
    void restoreFromSnapMsg2C() {
        Raft r = newTestRaft(2, ids(1, 2), 10, 1, new MemoryStorage());

        r.step(snapshotMessage(1, 2, 2, snapshot(11, 11, 1, 2)));

        assertThat(r.lead).as("node 2's leader after a MsgSnapshot from node 1 in term 2").isEqualTo(1);
    }

    /** A snapshot whose membership overlaps the node's own replaces it: the node adopts the snapshot's members. */
    @Test
    void restoreFromSnapWithOverlapingPeersMsg2C() {
        Raft r = newTestRaft(2, ids(1, 2, 3), 10, 1, new MemoryStorage());

        r.step(snapshotMessage(1, 2, 2, snapshot(11, 11, 2, 3, 4)));

        assertThat(r.lead).as("node 2's leader after a MsgSnapshot from node 1 in term 2").isEqualTo(1);
        assertThat(r.prs.keySet())
                .as("node 2's members (were {1, 2, 3}) after installing a snapshot whose conf state is {2, 3, 4}")
                .containsExactly(2L, 3L, 4L);
    }

    /** A follower cut off while the leader compacted its log catches up through a snapshot, then commits again. */
    @Test
    void slowNodeRestore2C() {
        RaftNetwork nt = newNetwork(fresh(), fresh(), fresh());
        nt.send(hup(1));

        nt.isolate(3);
        for (int i = 0; i <= 100; i++) {
            nt.send(emptyProposal(1));
        }
        Raft lead = nt.raft(1);
        applySnapshotAndCompact(nt, 1);

        nt.recover();
        // A round of heartbeats lets the leader hear from node 3 again.
        nt.send(beat(1));
        // This proposal makes the leader send node 3 a snapshot, the next one lets node 3 learn the commit index.
        nt.send(emptyProposal(1));
        nt.send(emptyProposal(1));

        Raft follower = nt.raft(3);
        assertThat(follower.raftLog.committed)
                .as("committed index of node 3, which was isolated while leader 1 compacted its log")
                .isEqualTo(lead.raftLog.committed);
    }

    /** A node restarted from a snapshot and a few entries hands out only the committed entries after the snapshot. */
    @Test
    void rawNodeRestartFromSnapshot2C() {
        Snapshot snapshot = snapshot(2, 1, 1, 2);
        List<Entry> entries = List.of(entry(3, 1, "foo"));
        MemoryStorage storage = new MemoryStorage();
        storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(3).build());
        storage.applySnapshot(snapshot);
        storage.append(entries);

        RawNode rawNode = new RawNode(newTestConfig(1, List.of(), 10, 1, storage).build());

        Ready rd = rawNode.ready();
        assertEntriesEqual("committed entries of the first Ready after restarting from a snapshot at index 2 "
                + "with commit 3", entries, rd.committedEntries());
        Ready want = new Ready(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), entries, List.of());
        assertThat(rd)
                .as("the first Ready after a restart: nothing to persist (hard state, entries and snapshot are "
                        + "already stored), only entry 3 to apply")
                .isEqualTo(want);
        rawNode.advance(rd);
        assertThat(rawNode.hasReady()).as("hasReady() after advancing the only Ready there was").isFalse();
    }

    // ---- helpers ----

    private static Snapshot snapshot(long index, long term, long... nodes) {
        ConfState confState = ConfState.newBuilder().addAllNodes(ids(nodes)).build();
        return Snapshot.newBuilder()
                .setMetadata(SnapshotMetadata.newBuilder().setIndex(index).setTerm(term).setConfState(confState))
                .build();
    }

    private static Message snapshotMessage(long from, long to, long term, Snapshot snapshot) {
        return message(MessageType.MsgSnapshot, from, to).setTerm(term).setSnapshot(snapshot).build();
    }

    private static Entry entryWithData(String data) {
        return Entry.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
    }

}
