package tinykv.kv.raftstore.snap;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tinykv.kv.raftstore.SnapshotConfig;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Log;
import tinykv.runtime.Timer;

/**
 * Sends this store's snapshots to other stores in chunks (TinyKV's {@code snap_runner.go} send side), with
 * flow control: at most {@code chunksInFlight} chunks of all transfers together await an acknowledgement.
 * Transfers take turns, a chunk each. A chunk unacknowledged for {@code retransmitAfter} goes again; a
 * transfer with no acknowledgement for {@code abandonAfter} is abandoned, and raft sends the snapshot again
 * when it next finds the follower behind.
 */
public final class SnapshotSender {

    /** Where chunks go: the snapshot channel to another store. */
    @FunctionalInterface
    public interface Channel {
        void send(long toStore, SnapshotTraffic traffic);
    }

    private final class Transfer {
        final long id;
        final long toStore;
        final RaftMessage header;
        final SnapKey key;
        final ByteString bytes;
        final int chunkCount;
        /** When each chunk was last sent while unacknowledged; -1 once acknowledged or not yet sent. */
        final long[] sentAt;
        final boolean[] acked;
        int nextToSend;
        int ackedCount;
        long lastProgress;

        Transfer(long id, long toStore, RaftMessage header, SnapKey key, ByteString bytes) {
            this.id = id;
            this.toStore = toStore;
            this.header = header;
            this.key = key;
            this.bytes = bytes;
            this.chunkCount = Math.max(1, (bytes.size() + config.chunkBytes() - 1) / config.chunkBytes());
            this.sentAt = new long[chunkCount];
            this.acked = new boolean[chunkCount];
            Arrays.fill(sentAt, -1);
            this.lastProgress = loop.now();
        }

        void send(int seq) {
            if (sentAt[seq] < 0) {
                inFlight++;
            }
            sentAt[seq] = loop.now();
            int from = seq * config.chunkBytes();
            ByteString data = bytes.substring(from, Math.min(bytes.size(), from + config.chunkBytes()));
            channel.send(toStore, new SnapshotTraffic.Chunk(id, header, seq, chunkCount, bytes.size(), data));
        }

        /** Counts this transfer's unacknowledged chunks out of the store's window. */
        void forget() {
            for (long sent : sentAt) {
                if (sent >= 0) {
                    inFlight--;
                }
            }
            snapManager.release(key);
        }

        @Override
        public String toString() {
            return key + " to store " + toStore + " (" + ackedCount + " of " + chunkCount + " chunks acknowledged)";
        }
    }

    private final SnapshotConfig config;
    private final EventLoop loop;
    private final SnapManager snapManager;
    private final Channel channel;
    private final Log log;
    /** Transfers under way, by id, oldest first. */
    private final Map<Long, Transfer> transfers = new LinkedHashMap<>();
    private long nextTransferId;
    private int inFlight;
    private Timer checkTimer;

    public SnapshotSender(SnapshotConfig config, EventLoop loop, SnapManager snapManager, Channel channel) {
        this.config = config;
        this.loop = loop;
        this.snapManager = snapManager;
        this.channel = channel;
        this.log = Log.of(loop, "snapshot sender");
        // Ids start at a random point so that a restarted store's transfers are not taken for its old ones.
        this.nextTransferId = loop.random().nextLong() & Long.MAX_VALUE;
    }

    /**
     * Starts sending the snapshot {@code message} (a {@code MsgSnapshot}) carries, unless it is under way to
     * that peer already. An older snapshot still under way to the peer is abandoned: raft only asks for a new
     * snapshot once the old one no longer joins up with its log, so one transfer per peer is enough.
     */
    public void send(RaftMessage message) {
        long toStore = message.getToPeer().getStoreId();
        long toPeer = message.getToPeer().getId();
        SnapKey key = SnapKey.of(message.getRegionId(), message.getMessage().getSnapshot().getMetadata());
        for (Transfer t : List.copyOf(transfers.values())) {
            if (t.toStore == toStore && t.header.getToPeer().getId() == toPeer && t.key.regionId() == key.regionId()) {
                if (t.key.compareTo(key) >= 0) {
                    return; // raft asks again at every heartbeat while the follower lags; one copy is enough
                }
                abandon(t, "superseded by " + key);
            }
        }
        Optional<SnapshotContent> content = snapManager.content(key);
        if (content.isEmpty()) {
            log.warn("%s is no longer held here; not sent to store %d", key, toStore);
            return;
        }
        Transfer transfer = new Transfer(nextTransferId++, toStore, message, key, content.get().bytes());
        transfers.put(transfer.id, transfer);
        snapManager.acquire(key);
        snapManager.transfersStarted++;
        log.info("sending %s to store %d: %d bytes in %d chunks", key, toStore, content.get().size(),
                transfer.chunkCount);
        pump();
    }

    /** An acknowledgement from the receiving store. */
    public void onAck(long fromStore, SnapshotTraffic.Ack ack) {
        Transfer t = transfers.get(ack.transferId());
        if (t == null || t.toStore != fromStore || ack.seq() < 0 || ack.seq() >= t.chunkCount || t.acked[ack.seq()]) {
            return; // a duplicate, or for a transfer already finished or abandoned
        }
        t.acked[ack.seq()] = true;
        t.ackedCount++;
        if (t.sentAt[ack.seq()] >= 0) {
            t.sentAt[ack.seq()] = -1;
            inFlight--;
        }
        t.lastProgress = loop.now();
        if (t.ackedCount == t.chunkCount) {
            transfers.remove(t.id);
            t.forget();
            snapManager.transfersCompleted++;
            log.info("sent %s to store %d", t.key, t.toStore);
        }
        pump();
    }

    private void abandon(Transfer t, String why) {
        transfers.remove(t.id);
        t.forget();
        snapManager.transfersAbandoned++;
        log.warn("abandoned %s: %s", t, why);
    }

    /** Sends new chunks, a chunk per transfer in turn, while the window has room. */
    private void pump() {
        boolean sentOne = true;
        while (sentOne && inFlight < config.chunksInFlight()) {
            sentOne = false;
            for (Transfer t : transfers.values()) {
                if (inFlight >= config.chunksInFlight()) {
                    break;
                }
                if (t.nextToSend < t.chunkCount) {
                    t.send(t.nextToSend++);
                    snapManager.chunksSent++;
                    sentOne = true;
                }
            }
        }
        if (checkTimer == null && !transfers.isEmpty()) {
            checkTimer = loop.schedule(config.retransmitAfter(), "snapshot sender check", this::check);
        }
    }

    /** Re-sends chunks whose acknowledgement is late; abandons transfers that have heard nothing for long. */
    private void check() {
        checkTimer = null;
        long now = loop.now();
        for (Transfer t : List.copyOf(transfers.values())) {
            if (now - t.lastProgress >= config.abandonAfter().toMillis()) {
                abandon(t, "no acknowledgement for " + (now - t.lastProgress) + " ms");
                continue;
            }
            for (int seq = 0; seq < t.nextToSend; seq++) {
                if (t.sentAt[seq] >= 0 && now - t.sentAt[seq] >= config.retransmitAfter().toMillis()) {
                    t.send(seq);
                    snapManager.chunksResent++;
                }
            }
        }
        pump();
    }
}
