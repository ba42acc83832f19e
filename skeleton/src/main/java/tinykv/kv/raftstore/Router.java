package tinykv.kv.raftstore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.runtime.Mailbox;

/**
 * Where messages for this store go (TinyKV's {@code router.go}): mail for a region's peer goes to the raft
 * worker, everything else to the store worker. A region is routable once its peer is registered.
 */
final class Router {
    private final Map<Long, Peer> peers = new TreeMap<>();
    private final Mailbox<PeerMail> raftWorker;
    private final Mailbox<StoreMsg> storeWorker;

    Router(Mailbox<PeerMail> raftWorker, Mailbox<StoreMsg> storeWorker) {
        this.raftWorker = raftWorker;
        this.storeWorker = storeWorker;
    }

    void register(Peer peer) {
        peers.put(peer.regionId(), peer);
    }

    /** Stops routing to the region's peer (it was destroyed). */
    void close(long regionId) {
        peers.remove(regionId);
    }

    Optional<Peer> peer(long regionId) {
        return Optional.ofNullable(peers.get(regionId));
    }

    /** Regions with a peer here, in id order. */
    List<Long> regionIds() {
        return List.copyOf(peers.keySet());
    }

    /** Queues {@code message} for the region's peer; false when this store has no peer of the region. */
    boolean send(long regionId, PeerMsg message) {
        if (!peers.containsKey(regionId)) {
            return false;
        }
        raftWorker.send(new PeerMail(regionId, message));
        return true;
    }

    void sendStore(StoreMsg message) {
        storeWorker.send(message);
    }
}
