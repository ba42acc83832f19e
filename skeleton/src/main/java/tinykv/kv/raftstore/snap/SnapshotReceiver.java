package tinykv.kv.raftstore.snap;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import tinykv.kv.raftstore.SnapshotConfig;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.proto.raft_serverpb.RaftSnapshotData;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Log;
import tinykv.runtime.Timer;

/**
 * Receives snapshots in chunks from other stores (TinyKV's {@code snap_runner.go} receive side). Chunks are
 * kept apart until all of a transfer's have arrived; the whole is then checked against the sizes and
 * checksums in the snapshot's meta, and only a complete, intact snapshot is kept and its {@code MsgSnapshot}
 * handed on to the peer. A transfer from which no chunk at all has arrived for twice {@code abandonAfter} is
 * dropped, and nothing of it is ever applied.
 *
 * <p>Why twice: the sender gives a transfer up after {@code abandonAfter} without a new acknowledgement, and
 * every acknowledgement answers a chunk that arrived here. So by the time this side drops a transfer, its
 * sender has given it up too, and can never count as sent a snapshot this side threw away.
 */
public final class SnapshotReceiver {

    private record TransferKey(long fromStore, long transferId) implements Comparable<TransferKey> {
        @Override
        public int compareTo(TransferKey o) {
            int c = Long.compare(fromStore, o.fromStore);
            return c != 0 ? c : Long.compare(transferId, o.transferId);
        }
    }

    private static final class Incoming {
        final RaftMessage header;
        final ByteString[] chunks;
        final int totalBytes;
        int received;
        long lastProgress;

        Incoming(SnapshotTraffic.Chunk first, long now) {
            this.header = first.header();
            this.chunks = new ByteString[first.chunkCount()];
            this.totalBytes = first.totalBytes();
            this.lastProgress = now;
        }
    }

    private final SnapshotConfig config;
    private final EventLoop loop;
    private final SnapManager snapManager;
    private final SnapshotSender.Channel channel;
    private final Consumer<RaftMessage> deliver;
    private final Log log;
    private final Map<TransferKey, Incoming> incoming = new TreeMap<>();
    /** Transfers received whole, and when: their late duplicate chunks are acknowledged again, not kept. */
    private final Map<TransferKey, Long> completed = new TreeMap<>();
    private Timer checkTimer;

    /**
     * @param deliver takes a snapshot's raft message once the snapshot is held here whole
     */
    public SnapshotReceiver(SnapshotConfig config, EventLoop loop, SnapManager snapManager,
            SnapshotSender.Channel channel, Consumer<RaftMessage> deliver) {
        this.config = config;
        this.loop = loop;
        this.snapManager = snapManager;
        this.channel = channel;
        this.deliver = deliver;
        this.log = Log.of(loop, "snapshot receiver");
    }

    public void onChunk(long fromStore, SnapshotTraffic.Chunk chunk) {
        TransferKey key = new TransferKey(fromStore, chunk.transferId());
        if (completed.containsKey(key)) {
            acknowledge(fromStore, chunk);
            return;
        }
        Incoming in = incoming.get(key);
        if (in == null) {
            in = new Incoming(chunk, loop.now());
            incoming.put(key, in);
            scheduleCheck();
        }
        if (chunk.seq() < 0 || chunk.seq() >= in.chunks.length || chunk.chunkCount() != in.chunks.length) {
            log.warn("chunk %d of %d from store %d does not fit its transfer; ignored", chunk.seq(),
                    chunk.chunkCount(), fromStore);
            return;
        }
        in.lastProgress = loop.now(); // a chunk sent again also shows that the sender still sends
        if (in.chunks[chunk.seq()] == null) {
            in.chunks[chunk.seq()] = chunk.data();
            in.received++;
        }
        acknowledge(fromStore, chunk);
        if (in.received == in.chunks.length) {
            incoming.remove(key);
            completed.put(key, loop.now());
            finish(fromStore, in);
        }
    }

    private void acknowledge(long fromStore, SnapshotTraffic.Chunk chunk) {
        channel.send(fromStore, new SnapshotTraffic.Ack(chunk.transferId(), chunk.header(), chunk.seq()));
    }

    /** Checks the assembled snapshot and, if it is intact, keeps it and hands its message on. */
    private void finish(long fromStore, Incoming in) {
        RaftMessage header = in.header;
        SnapKey key = SnapKey.of(header.getRegionId(), header.getMessage().getSnapshot().getMetadata());
        ByteString bytes = ByteString.copyFrom(Arrays.asList(in.chunks));
        try {
            if (bytes.size() != in.totalBytes) {
                throw new SnapshotContent.CorruptSnapshotException(
                        bytes.size() + " bytes arrived, the sender announced " + in.totalBytes);
            }
            RaftSnapshotData data = RaftSnapshotData.parseFrom(header.getMessage().getSnapshot().getData());
            snapManager.putReceived(key, SnapshotContent.verified(data.getMeta(), bytes));
        } catch (InvalidProtocolBufferException | SnapshotContent.CorruptSnapshotException e) {
            snapManager.corruptTransfersDropped++;
            log.error("%s from store %d is corrupt and was dropped: %s", key, fromStore, e.getMessage());
            return;
        }
        log.info("received %s from store %d: %d bytes", key, fromStore, bytes.size());
        deliver.accept(header);
    }

    private void scheduleCheck() {
        if (checkTimer == null) {
            checkTimer = loop.schedule(config.abandonAfter(), "snapshot receiver check", this::check);
        }
    }

    /** Drops transfers that stopped arriving, and forgets finished ones once no duplicate can be in flight. */
    private void check() {
        checkTimer = null;
        long now = loop.now();
        long dropMs = 2 * config.abandonAfter().toMillis();
        incoming.entrySet().removeIf(e -> {
            if (now - e.getValue().lastProgress < dropMs) {
                return false;
            }
            snapManager.partialTransfersDropped++;
            log.warn("dropped a partial snapshot from store %d: %d of %d chunks, none for %d ms",
                    e.getKey().fromStore(), e.getValue().received, e.getValue().chunks.length,
                    now - e.getValue().lastProgress);
            return true;
        });
        completed.values().removeIf(at -> now - at >= dropMs);
        if (!incoming.isEmpty() || !completed.isEmpty()) {
            scheduleCheck();
        }
    }
}
