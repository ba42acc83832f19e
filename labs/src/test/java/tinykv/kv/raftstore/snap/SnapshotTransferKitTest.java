package tinykv.kv.raftstore.snap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.EngineLocation;
import tinykv.kv.engine.Engines;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.SnapshotConfig;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.eraftpb.ConfState;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;
import tinykv.proto.eraftpb.Snapshot;
import tinykv.proto.eraftpb.SnapshotMetadata;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.proto.raft_serverpb.RaftSnapshotData;
import tinykv.sim.DropFilter;
import tinykv.sim.SimNetwork;
import tinykv.sim.Simulator;
import tinykv.sim.StoreLoop;

/**
 * The snapshot channel of lab 2C, alone: store 1's {@link SnapshotSender} sends one region snapshot in chunks
 * to store 2's {@link SnapshotReceiver}, over a {@link SimNetwork} of their own on one {@link Simulator}. The
 * test's channel counts the sender's chunks that await an acknowledgement, and can drop or alter traffic.
 */
@Tag("kit")
@DisplayName("Kit: chunked snapshot transfer between two stores (lab 2C)")
class SnapshotTransferKitTest {

    private static final long SEED = 23;
    private static final long SENDER_STORE = 1;
    private static final long RECEIVER_STORE = 2;
    private static final Region REGION = Region.newBuilder().setId(3)
            .setStartKey(ByteString.copyFromUtf8("k")).setEndKey(ByteString.EMPTY)
            .setRegionEpoch(RegionEpoch.newBuilder().setConfVer(2).setVersion(1))
            .addPeers(Peer.newBuilder().setId(11).setStoreId(SENDER_STORE))
            .addPeers(Peer.newBuilder().setId(12).setStoreId(RECEIVER_STORE))
            .build();
    /** The snapshot's name: region 3 at term 6, index 42. */
    private static final SnapKey KEY = new SnapKey(REGION.getId(), 6, 42);
    private static final int CHUNKS = 40;

    private final Simulator sim = new Simulator(SEED);
    private EngineLocation location;
    /** The region's data, scanned from a store's kv engine. */
    private SnapshotContent content;
    /** The raft snapshot as the region worker would make it. */
    private Snapshot raftSnapshot;
    /** The {@code MsgSnapshot} raft on store 1 sends to the peer on store 2. */
    private RaftMessage header;

    private StoreLoop senderLoop;
    private SnapManager senderSnaps;
    private SnapManager receiverSnaps;
    private SnapshotSender sender;
    private SnapshotReceiver receiver;
    private SimNetwork<SnapshotTraffic> channel;
    /** What the receiver handed on to its peer. */
    private final List<RaftMessage> delivered = new ArrayList<>();
    /** Applied to every message as it enters the channel: the identity unless a test alters traffic. */
    private UnaryOperator<SnapshotTraffic> alteration = UnaryOperator.identity();

    /** A chunk of one transfer. */
    private record ChunkId(long transferId, int seq) implements Comparable<ChunkId> {
        @Override
        public int compareTo(ChunkId o) {
            int byTransfer = Long.compare(transferId, o.transferId);
            return byTransfer != 0 ? byTransfer : Integer.compare(seq, o.seq);
        }
    }

    /** The sender's chunks sent and not yet acknowledged to it: added when sent, removed when an ack arrives. */
    private final Set<ChunkId> unacknowledged = new TreeSet<>();
    private int mostUnacknowledged;

    @BeforeEach
    void scanRegionData() {
        location = EngineLocation.inMemory("store 1");
        Engines engines = Engines.open(location);
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 300; i++) {
            String key = String.format("k%04d", i);
            batch.setCF(ColumnFamilies.DEFAULT, Keys.dataKey(key.getBytes(UTF_8)), ("value of " + key + ", padded to be "
                    + "longer than its key").getBytes(UTF_8));
            if (i % 3 == 0) {
                batch.setCF(ColumnFamilies.WRITE, Keys.dataKey(key.getBytes(UTF_8)), ("write " + i).getBytes(UTF_8));
            }
        }
        engines.kv().write(batch);
        content = SnapshotContent.scan(engines.kv(), REGION);
        raftSnapshot = Snapshot.newBuilder()
                .setMetadata(SnapshotMetadata.newBuilder().setIndex(KEY.index()).setTerm(KEY.term())
                        .setConfState(ConfState.newBuilder().addNodes(11).addNodes(12)))
                .setData(RaftSnapshotData.newBuilder().setRegion(REGION).setFileSize(content.size())
                        .setMeta(content.meta()).build().toByteString())
                .build();
        header = RaftMessage.newBuilder().setRegionId(REGION.getId())
                .setFromPeer(REGION.getPeers(0)).setToPeer(REGION.getPeers(1))
                .setRegionEpoch(REGION.getRegionEpoch())
                .setMessage(Message.newBuilder().setMsgType(MessageType.MsgSnapshot).setFrom(11).setTo(12)
                        .setTerm(KEY.term()).setSnapshot(raftSnapshot))
                .build();
        assertThat(chunkCount(chunkBytesFor(CHUNKS))).as("chunks of %d bytes each for %d bytes of content",
                chunkBytesFor(CHUNKS), content.size()).isEqualTo(CHUNKS);
    }

    @AfterEach
    void destroyEngines() {
        location.close();
    }

    // ---- (a) a whole transfer ----

    @Test
    @DisplayName("a 40-chunk snapshot arrives whole: its message is delivered once, the receiver holds the same content")
    void fortyChunkSnapshotArrivesWholeAndIsDeliveredOnce() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));

        raftSendsTheSnapshot();
        sim.mustRunUntil("the receiver delivers the snapshot", () -> !delivered.isEmpty(), Duration.ofSeconds(5));
        sim.runFor(Duration.ofSeconds(3)); // long enough for any duplicate or late timer to show

        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").containsExactly(header);
        assertThat(senderSnaps.stats().chunksSent()).as("chunks the sender sent (first sends)").isEqualTo(CHUNKS);
        assertThat(senderSnaps.stats().transfersCompleted()).as("transfers the sender completed").isEqualTo(1);
        assertReceiverHoldsTheOriginalContent();
    }

    // ---- (b) flow control ----

    @Test
    @DisplayName("flow control: with 4 chunks in flight, no event ever leaves more than 4 chunks unacknowledged")
    void flowControlKeepsAtMostChunksInFlightUnacknowledged() {
        start(config(CHUNKS, 4));
        sim.checkAfterEachEvent("at most 4 of the sender's chunks unacknowledged",
                () -> assertThat(unacknowledged).as("chunks sent and not yet acknowledged, at %d ms", sim.now())
                        .hasSizeLessThanOrEqualTo(4));

        raftSendsTheSnapshot();
        sim.mustRunUntil("the receiver delivers the snapshot", () -> !delivered.isEmpty(), Duration.ofSeconds(5));

        assertThat(mostUnacknowledged).as("most chunks unacknowledged at once: the window was used").isEqualTo(4);
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").containsExactly(header);
        assertReceiverHoldsTheOriginalContent();
    }

    // ---- (c) a lossy channel ----

    @Test
    @DisplayName("a channel that drops 20% of chunks and acks still delivers the snapshot whole, by resending")
    void lossyChannelStillDeliversTheSnapshotWhole() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));
        channel.addFilter(new DropFilter<>(0.2));

        raftSendsTheSnapshot();
        sim.mustRunUntil("the receiver delivers the snapshot", () -> !delivered.isEmpty(), Duration.ofSeconds(30));
        sim.runFor(Duration.ofSeconds(3));

        assertThat(channel.stats().filtered()).as("messages the channel dropped").isPositive();
        assertThat(senderSnaps.stats().chunksResent()).as("chunks the sender sent again").isPositive();
        assertThat(senderSnaps.stats().transfersAbandoned()).as("transfers abandoned").isZero();
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").containsExactly(header);
        assertReceiverHoldsTheOriginalContent();
    }

    // ---- (d) a channel cut during the transfer ----

    @Test
    @DisplayName("a channel cut after the 3rd chunk: the sender abandons, the receiver drops the partial copy, no delivery")
    void channelCutAfterThirdChunkAbandonsTheTransferOnBothSides() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));
        int[] chunksCarried = {0};
        channel.addFilter((envelope, random) -> {
            if (chunksCarried[0] >= 3) {
                return false; // cut: nothing passes any more, either way
            }
            if (envelope.message() instanceof SnapshotTraffic.Chunk) {
                chunksCarried[0]++;
            }
            return true;
        });

        raftSendsTheSnapshot();
        sim.runFor(Duration.ofSeconds(4)); // the receiver drops a partial copy 2 s after its last chunk

        assertThat(senderSnaps.stats().transfersAbandoned()).as("transfers the sender abandoned").isEqualTo(1);
        assertThat(senderSnaps.stats().transfersCompleted()).as("transfers the sender completed").isZero();
        assertThat(receiverSnaps.stats().partialTransfersDropped()).as("partial transfers the receiver dropped")
                .isEqualTo(1);
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").isEmpty();
        assertThat(receiverSnaps.stats().held()).as("snapshots the receiver holds").isZero();
        assertThat(receiverSnaps.content(KEY)).as("the receiver's copy of %s", KEY).isEmpty();
    }

    // ---- (e) raft asks again while the transfer is under way ----

    @Test
    @DisplayName("the same snapshot sent again while its transfer is under way starts no second transfer")
    void sameSnapshotSentTwiceWhileUnderWayStartsOneTransfer() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));

        raftSendsTheSnapshot();
        sim.runFor(Duration.ofMillis(3));
        assertThat(senderSnaps.stats().transfersCompleted()).as("transfers completed after 3 ms").isZero();
        assertThat(senderSnaps.stats().chunksSent()).as("chunks sent after 3 ms").isPositive();
        raftSendsTheSnapshot(); // raft's next heartbeat finds the follower still behind
        sim.mustRunUntil("the receiver delivers the snapshot", () -> !delivered.isEmpty(), Duration.ofSeconds(5));
        sim.runFor(Duration.ofSeconds(3));

        assertThat(senderSnaps.stats().transfersStarted()).as("transfers started").isEqualTo(1);
        assertThat(senderSnaps.stats().chunksSent()).as("chunks sent (first sends)").isEqualTo(CHUNKS);
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").containsExactly(header);
    }

    @Test
    @DisplayName("the same snapshot sent again after its transfer completed is sent again, in a new transfer")
    void sameSnapshotSentAgainAfterCompletionStartsANewTransfer() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));

        raftSendsTheSnapshot();
        sim.mustRunUntil("the sender completes the transfer", () -> senderSnaps.stats().transfersCompleted() == 1,
                Duration.ofSeconds(5));
        raftSendsTheSnapshot();
        sim.mustRunUntil("the sender completes the second transfer",
                () -> senderSnaps.stats().transfersCompleted() == 2, Duration.ofSeconds(5));

        assertThat(senderSnaps.stats().transfersStarted()).as("transfers started").isEqualTo(2);
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on, one per transfer")
                .containsExactly(header, header);
    }

    // ---- (f) a chunk altered on the way ----

    @Test
    @DisplayName("a chunk altered on the way (one byte flipped): the receiver drops the snapshot as corrupt, no delivery")
    void alteredChunkMakesTheReceiverDropTheSnapshotAsCorrupt() {
        start(SnapshotConfig.forTests().withChunkBytes(chunkBytesFor(CHUNKS)));
        boolean[] altered = {false};
        alteration = traffic -> {
            if (traffic instanceof SnapshotTraffic.Chunk chunk && chunk.seq() == 17 && !altered[0]) {
                altered[0] = true;
                byte[] data = chunk.data().toByteArray();
                data[data.length / 2] ^= 0x40;
                return new SnapshotTraffic.Chunk(chunk.transferId(), chunk.header(), chunk.seq(), chunk.chunkCount(),
                        chunk.totalBytes(), ByteString.copyFrom(data));
            }
            return traffic;
        };

        raftSendsTheSnapshot();
        sim.runFor(Duration.ofSeconds(5));

        assertThat(altered[0]).as("chunk 17 was altered").isTrue();
        assertThat(receiverSnaps.stats().corruptTransfersDropped()).as("transfers dropped as corrupt").isEqualTo(1);
        assertThat(delivered).as("MsgSnapshot messages the receiver handed on").isEmpty();
        assertThat(receiverSnaps.stats().held()).as("snapshots the receiver holds").isZero();
        assertThat(receiverSnaps.content(KEY)).as("the receiver's copy of %s", KEY).isEmpty();
    }

    // ---- the two sides' timeouts agree ----

    /**
     * The sender keeps a transfer alive while new acknowledgements come, the receiver while chunks come. Here
     * chunk 2 of 4 is lost on every try for 2 s and chunk 3's acknowledgements for 1 s: at 1002 ms an
     * acknowledgement of a resent chunk 3 keeps the sender going. Once, the receiver (then timing out after
     * 1 s without a new chunk) dropped chunks 0, 1 and 3 at 2001 ms, chunk 2 arrived after, and the sender
     * counted as sent a snapshot that was never delivered. Whatever the timing, the two counts must agree.
     */
    @Test
    @DisplayName("a transfer the sender counts as completed was delivered by the receiver")
    void senderCompletesOnlyTransfersTheReceiverDelivered() {
        start(config(4, 2), 1, 1);
        channel.addFilter((envelope, random) -> !(envelope.message() instanceof SnapshotTraffic.Chunk chunk
                && chunk.seq() == 2 && sim.now() < 2000));
        channel.addFilter((envelope, random) -> !(envelope.message() instanceof SnapshotTraffic.Ack ack
                && ack.seq() == 3 && sim.now() < 1000));

        raftSendsTheSnapshot();
        sim.runFor(Duration.ofSeconds(5));

        assertThat(delivered).as("MsgSnapshot messages the receiver handed on, after the sender completed %d "
                + "transfers", senderSnaps.stats().transfersCompleted())
                .hasSize((int) senderSnaps.stats().transfersCompleted());
    }

    // ---- helpers ----

    /** Two stores, each with a snapshot manager; store 1 holds the generated snapshot and sends, store 2 receives. */
    private void start(SnapshotConfig config) {
        start(config, SimNetwork.DEFAULT_MIN_LATENCY_MS, SimNetwork.DEFAULT_MAX_LATENCY_MS);
    }

    private void start(SnapshotConfig config, long minLatencyMs, long maxLatencyMs) {
        senderLoop = sim.store(SENDER_STORE);
        StoreLoop receiverLoop = sim.store(RECEIVER_STORE);
        senderSnaps = new SnapManager(senderLoop);
        receiverSnaps = new SnapManager(receiverLoop);
        senderSnaps.putGenerated(KEY, raftSnapshot, content);
        channel = new SimNetwork<>(sim, "snapshot network", SnapshotTransferKitTest::describe, minLatencyMs,
                maxLatencyMs);
        sender = new SnapshotSender(config, senderLoop, senderSnaps,
                (toStore, traffic) -> transmit(SENDER_STORE, toStore, traffic));
        receiver = new SnapshotReceiver(config, receiverLoop, receiverSnaps,
                (toStore, traffic) -> transmit(RECEIVER_STORE, toStore, traffic), delivered::add);
    }

    /** Raft on store 1 sends the MsgSnapshot: as an event of store 1's loop, so invariants are checked after it. */
    private void raftSendsTheSnapshot() {
        senderLoop.schedule(0, "raft sends MsgSnapshot", () -> sender.send(header));
    }

    private void transmit(long fromStore, long toStore, SnapshotTraffic traffic) {
        if (fromStore == SENDER_STORE && traffic instanceof SnapshotTraffic.Chunk chunk) {
            unacknowledged.add(new ChunkId(chunk.transferId(), chunk.seq()));
            mostUnacknowledged = Math.max(mostUnacknowledged, unacknowledged.size());
        }
        channel.send(fromStore, toStore, alteration.apply(traffic), arrived -> arrive(fromStore, arrived));
    }

    private void arrive(long fromStore, SnapshotTraffic traffic) {
        if (traffic instanceof SnapshotTraffic.Chunk chunk) {
            receiver.onChunk(fromStore, chunk);
        } else if (traffic instanceof SnapshotTraffic.Ack ack) {
            unacknowledged.remove(new ChunkId(ack.transferId(), ack.seq()));
            sender.onAck(fromStore, ack);
        }
    }

    private static String describe(SnapshotTraffic traffic) {
        return traffic instanceof SnapshotTraffic.Chunk chunk
                ? "snapshot chunk " + chunk.seq() + "/" + chunk.chunkCount()
                : "snapshot ack " + ((SnapshotTraffic.Ack) traffic).seq();
    }

    /** Retransmit after 100 ms, abandon after 1 s, as in {@link SnapshotConfig#forTests()}. */
    private SnapshotConfig config(int chunks, int chunksInFlight) {
        return new SnapshotConfig(chunkBytesFor(chunks), chunksInFlight, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** The chunk size that cuts the content into {@code chunks} chunks (the content is large enough). */
    private int chunkBytesFor(int chunks) {
        return (content.size() + chunks - 1) / chunks;
    }

    private int chunkCount(int chunkBytes) {
        return (content.size() + chunkBytes - 1) / chunkBytes;
    }

    private void assertReceiverHoldsTheOriginalContent() {
        assertThat(receiverSnaps.content(KEY)).as("the receiver's copy of %s", KEY).hasValueSatisfying(copy -> {
            assertThat(copy.meta()).as("meta of the copy").isEqualTo(content.meta());
            assertThat(copy.bytes()).as("bytes of the copy").isEqualTo(content.bytes());
        });
        assertThat(receiverSnaps.stats().received()).as("snapshots the receiver received").isEqualTo(1);
    }
}
