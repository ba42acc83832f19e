package tinykv.cluster;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import tinykv.history.ClusterTimeline;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.Transport;
import tinykv.kv.raftstore.snap.SnapshotTraffic;
import tinykv.proto.raft_serverpb.RaftMessage;
import tinykv.runtime.Log;
import tinykv.sim.Envelope;
import tinykv.sim.Filter;
import tinykv.sim.SimNetwork;
import tinykv.sim.Simulator;

/**
 * The wires between the stores of a test cluster: the raft channel, and the snapshot channel beside it
 * (chunks and acknowledgements, with a random stream of its own so that its traffic changes nothing on the
 * raft channel), under one set of filters a test adds and clears.
 */
final class ClusterNetwork {
    private final SimNetwork<RaftMessage> network;
    /** Snapshot chunks and acknowledgements: a channel of their own, under the same filters as raft messages. */
    private final SimNetwork<SnapshotTraffic> snapshotNetwork;
    private final Log log;
    /** Where snapshot transfers are noted for the timeline. */
    private final ClusterTimeline timeline;

    ClusterNetwork(Simulator sim, Log log, ClusterTimeline timeline) {
        this.timeline = timeline;
        this.network = new SimNetwork<>(sim, ClusterNetwork::describe);
        this.snapshotNetwork = new SimNetwork<>(sim, "snapshot network", ClusterNetwork::describeTraffic,
                SimNetwork.DEFAULT_MIN_LATENCY_MS, SimNetwork.DEFAULT_MAX_LATENCY_MS);
        this.log = log;
    }

    /**
     * The transport of store {@code storeId}'s raftstore: what it sends goes through the filters, and arrives
     * at the raftstore {@code running} names for the receiving store, if it runs by then.
     */
    Transport transportFrom(long storeId, LongFunction<Optional<RaftStore>> running, SendObserver observer) {
        return new Transport() {
            @Override
            public void send(RaftMessage message) {
                network.send(storeId, message.getToPeer().getStoreId(), message,
                        delivered -> running.apply(delivered.getToPeer().getStoreId())
                                .ifPresent(raftStore -> raftStore.receive(delivered)));
                observer.sent(message);
            }

            @Override
            public void sendSnapshotTraffic(long toStore, SnapshotTraffic traffic) {
                noteSnapshot(storeId, toStore, traffic, false);
                snapshotNetwork.send(storeId, toStore, traffic, delivered -> {
                    noteSnapshot(storeId, toStore, delivered, true);
                    running.apply(toStore).ifPresent(raftStore -> raftStore.receiveSnapshotTraffic(storeId, delivered));
                });
                observer.sentSnapshotTraffic(() -> describeTraffic(traffic));
            }
        };
    }

    /** Hears each message once it has left its store: the crash points and the checks that watch votes. */
    interface SendObserver {
        void sent(RaftMessage message);

        /** {@code what} describes the chunk or acknowledgement, when asked (most sends are not crash points). */
        void sentSnapshotTraffic(Supplier<String> what);
    }

    /** A transfer starts with its first chunk sent and completes when its last chunk arrives. */
    private void noteSnapshot(long fromStore, long toStore, SnapshotTraffic traffic, boolean delivered) {
        if (traffic instanceof SnapshotTraffic.Chunk chunk) {
            if (!delivered && chunk.seq() == 0) {
                timeline.snapshotStarted(chunk.transferId(), chunk.header().getRegionId(), fromStore, toStore);
            } else if (delivered && chunk.seq() == chunk.chunkCount() - 1) {
                timeline.snapshotCompleted(chunk.transferId());
            }
        }
    }

    // ---- filters ---------------------------------------------------------------------------------------

    /**
     * Adds a filter to the network. It sees raft messages, and also snapshot chunks and acknowledgements as
     * the {@code MsgSnapshot} they carry, so a partition or a drop rate cuts snapshot transfers too.
     */
    void addFilter(Filter<RaftMessage> filter) {
        log.info("network: add filter %s", filter);
        network.addFilter(filter);
        snapshotNetwork.addFilter((envelope, random) -> filter.before(
                new Envelope<>(envelope.fromStore(), envelope.toStore(), envelope.message().header()), random));
    }

    /** Adds a filter to the snapshot channel alone; it sees each chunk and acknowledgement. */
    void addSnapshotFilter(Filter<SnapshotTraffic> filter) {
        log.info("snapshot channel: add filter %s", filter);
        snapshotNetwork.addFilter(filter);
    }

    /** Removes every filter of the network and of the snapshot channel. */
    void clearFilters() {
        log.debug("network: clear filters");
        network.clearFilters();
        snapshotNetwork.clearFilters();
    }

    List<Filter<RaftMessage>> filters() {
        return network.filters();
    }

    // ---- how messages read in the trace ----------------------------------------------------------------

    private static String describeTraffic(SnapshotTraffic traffic) {
        String what = traffic instanceof SnapshotTraffic.Chunk chunk
                ? "snapshot chunk " + chunk.seq() + "/" + chunk.chunkCount()
                : "snapshot ack " + ((SnapshotTraffic.Ack) traffic).seq();
        return what + route(traffic.header());
    }

    private static String describe(RaftMessage message) {
        return message.getMessage().getMsgType() + route(message);
    }

    /** {@code " region 1 2->3"}: the region and the peers a message goes between. */
    private static String route(RaftMessage message) {
        return " region " + message.getRegionId() + " " + message.getFromPeer().getId() + "->"
                + message.getToPeer().getId();
    }
}
