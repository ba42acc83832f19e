package tinykv.raft;

import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import tinykv.labs.Seeds;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.HardState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * The base of the Raft unit tests: builders for nodes, storages and networks, in the names TinyKV's
 * tests use (newTestRaft, newNetwork, entsWithConfig, ...).
 *
 * <p>JUnit makes a new instance for each test, so each test draws its randomness from its own stream,
 * seeded by {@link Seeds#current()}: every node gets a sub-stream for its election timeouts, the network
 * another for its drops. A test is therefore a pure function of (test, seed).
 */
public abstract class RaftTestSupport {

    private final SplittableRandom random = Seeds.rootRandom();

    // ---- Nodes ----

    /** A config with TinyKV's test parameters; tests may change it further before building. */
    protected Config.Builder newTestConfig(long id, List<Long> peers, int election, int heartbeat, Storage storage) {
        return Config.builder()
                .id(id)
                .peers(peers)
                .electionTick(election)
                .heartbeatTick(heartbeat)
                .storage(storage)
                .random(random.split());
    }

    protected Raft newTestRaft(long id, List<Long> peers, int election, int heartbeat, Storage storage) {
        return new Raft(newTestConfig(id, peers, election, heartbeat, storage).build());
    }

    /** A node whose stable log holds one entry per term given (entry i has term terms[i-1]), at the last term. */
    protected Raft entsWithConfig(Consumer<Config.Builder> configure, long id, long... terms) {
        MemoryStorage storage = new MemoryStorage();
        for (int i = 0; i < terms.length; i++) {
            storage.append(List.of(entry(i + 1, terms[i])));
        }
        Config.Builder config = newTestConfig(id, List.of(), 5, 1, storage);
        configure.accept(config);
        Raft raft = new Raft(config.build());
        raft.term = terms[terms.length - 1];
        return raft;
    }

    /** A node that voted for {@code vote} in {@code term} but has no log entries. */
    protected Raft votedWithConfig(Consumer<Config.Builder> configure, long id, long vote, long term) {
        MemoryStorage storage = new MemoryStorage();
        storage.setHardState(HardState.newBuilder().setVote(vote).setTerm(term).build());
        Config.Builder config = newTestConfig(id, List.of(), 5, 1, storage);
        configure.accept(config);
        Raft raft = new Raft(config.build());
        raft.term = term;
        return raft;
    }

    /** A config change that leaves the config as it is. */
    protected static void noChange(Config.Builder config) {}

    // ---- Networks ----

    /** A network of these nodes, ids 1..n; fresh nodes get election 10, heartbeat 1. */
    protected RaftNetwork newNetwork(NetworkPeer... peers) {
        return newNetworkWithConfig(RaftTestSupport::noChange, peers);
    }

    /** Like {@link #newNetwork}, with {@code configure} applied to every fresh node's config. */
    protected RaftNetwork newNetworkWithConfig(Consumer<Config.Builder> configure, NetworkPeer... peers) {
        return new RaftNetwork(List.of(peers), random.split(), (id, ids, storage) -> {
            Config.Builder config = newTestConfig(id, ids, 10, 1, storage);
            configure.accept(config);
            return config.build();
        });
    }

    protected static NetworkPeer fresh() {
        return NetworkPeer.fresh();
    }

    protected static NetworkPeer blackHole() {
        return NetworkPeer.blackHole();
    }

    protected static NetworkPeer peer(Raft raft) {
        return NetworkPeer.of(raft);
    }

    protected static List<Long> idsBySize(int size) {
        return RaftNetwork.idsBySize(size);
    }

    protected static List<Long> ids(long... ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    // ---- Logs and messages ----

    /** A storage whose log is exactly these entries; the first is the dummy entry standing for the snapshot. */
    protected static MemoryStorage newMemoryStorageWithEnts(Entry... entries) {
        return MemoryStorage.withEntries(List.of(entries));
    }

    protected static Entry entry(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).build();
    }

    protected static Entry entry(long index, long term, String data) {
        return Entry.newBuilder().setIndex(index).setTerm(term).setData(ByteString.copyFromUtf8(data)).build();
    }

    /** A message with type, sender and receiver set; add the rest with the builder. */
    protected static Message.Builder message(MessageType type, long from, long to) {
        return Message.newBuilder().setMsgType(type).setFrom(from).setTo(to);
    }

    /** A MsgHup for node {@code id}, addressed so that a network can deliver it. */
    protected static Message hup(long id) {
        return message(MessageType.MsgHup, id, id).build();
    }

    /** A MsgBeat for node {@code id}, addressed so that a network can deliver it. */
    protected static Message beat(long id) {
        return message(MessageType.MsgBeat, id, id).build();
    }

    /** A proposal of one entry holding {@code data}, delivered to node {@code to}. */
    protected static Message propose(long from, long to, String data) {
        return message(MessageType.MsgPropose, from, to)
                .addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8(data)))
                .build();
    }

    /** A proposal of one empty entry to node {@code to}, from itself (TinyKV's {@code Entries: {{}}}). */
    protected static Message emptyProposal(long to) {
        return propose(to, to, "");
    }

    /** Takes the messages the node has queued to send. */
    protected static List<Message> readMessages(Raft raft) {
        return RaftNetwork.readMessages(raft);
    }

    /**
     * The messages ordered by receiver, then type, so that a test does not depend on the order in which a
     * node happens to address its peers.
     */
    protected static List<Message> sortedByReceiver(List<Message> messages) {
        return messages.stream()
                .sorted(Comparator.comparingLong(Message::getTo).thenComparingInt(Message::getMsgTypeValue))
                .toList();
    }

    /**
     * Plays the application for one round: persists the node's unstable entries to {@code storage}, and
     * returns the entries ready to apply, marking them applied.
     */
    protected static List<Entry> nextEnts(Raft raft, MemoryStorage storage) {
        storage.append(raft.raftLog.unstableEntries());
        raft.raftLog.stabled = raft.raftLog.lastIndex();
        List<Entry> entries = raft.raftLog.nextEnts();
        raft.raftLog.applied = raft.raftLog.committed;
        return entries;
    }

    /** A log over a storage holding exactly these entries (after the dummy), with this committed index. */
    protected static RaftLog expectedLog(long committed, Entry... entries) {
        List<Entry> all = new ArrayList<>();
        all.add(Entry.getDefaultInstance());
        all.addAll(List.of(entries));
        RaftLog log = new RaftLog(MemoryStorage.withEntries(all));
        log.committed = committed;
        return log;
    }

    /**
     * Plays the application of network node {@code id} up to a log compaction: applies what is committed,
     * takes a snapshot at the applied index, and compacts the stored log up to it.
     */
    protected static void applySnapshotAndCompact(RaftNetwork network, long id) {
        Raft raft = network.raft(id);
        MemoryStorage storage = network.storage(id);
        nextEnts(raft, storage);
        storage.createSnapshot(raft.raftLog.applied, confStateOf(raft), ByteString.EMPTY);
        storage.compact(raft.raftLog.applied);
    }

    /** The node's current members, as a snapshot would record them. */
    protected static ConfState confStateOf(Raft raft) {
        return ConfState.newBuilder().addAllNodes(raft.prs.keySet()).build();
    }

    // ---- Time ----

    /**
     * Ticks {@code raft} until {@code done} holds (checked before every tick, so 0 ticks when it already
     * holds) and returns the number of ticks. Where TinyKV loops forever, this fails after
     * {@code maxTicks} ticks with a message saying what never happened.
     *
     * @param waitingFor what {@code done} means, for the failure message
     */
    protected static int tickUntil(Raft raft, BooleanSupplier done, int maxTicks, String waitingFor) {
        int ticks = 0;
        while (!done.getAsBoolean()) {
            if (ticks >= maxTicks) {
                fail("node %d ticked %d times waiting for %s; it never happened", raft.id, ticks, waitingFor);
            }
            raft.tick();
            RaftNetwork.mustHoldNoLocalMessage(raft);
            ticks++;
        }
        return ticks;
    }
}
