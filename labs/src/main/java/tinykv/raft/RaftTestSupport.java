package tinykv.raft;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tinykv.labs.Seeds;
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

    /** Takes the messages the node has queued to send. */
    protected static List<Message> readMessages(Raft raft) {
        return RaftNetwork.readMessages(raft);
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
}
