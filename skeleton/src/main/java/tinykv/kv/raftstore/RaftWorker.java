package tinykv.kv.raftstore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tinykv.raft.Ready;
import tinykv.runtime.MailboxHandler;

/**
 * The raft worker of one store (TinyKV's {@code raft_worker.go}): takes the mail that arrived for the
 * store's peers as one batch, hands each message to its peer, then lets every peer that got mail handle
 * its raft ready once. Batching is what makes a busy store fast: many proposals, one disk write.
 */
final class RaftWorker implements MailboxHandler<PeerMail> {
    private final StoreContext ctx;

    RaftWorker(StoreContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(List<PeerMail> batch) {
        // Each touched peer as it was before its first message: a role or term changes as a message is stepped.
        Map<Long, PeerStatus> before = new LinkedHashMap<>();
        for (PeerMail mail : batch) {
            Optional<Peer> peer = ctx.router().peer(mail.regionId());
            if (peer.isEmpty()) {
                undeliverable(mail);
                continue;
            }
            before.computeIfAbsent(mail.regionId(), region -> PeerStatus.of(peer.get()));
            PeerMsgDispatcher dispatcher = new PeerMsgDispatcher(peer.get(), ctx);
            run(peer.get(), mail.message().getClass(), () -> dispatcher.handle(mail.message()));
        }
        before.forEach((regionId, status) -> ctx.router().peer(regionId).ifPresent(peer -> handleReady(peer, status)));
    }

    /**
     * Lets the peer handle its raft ready. If the batch changed its status (role, term or region), the store's
     * status version moves, and if it changed the region (a conf change or a split applied, lab 3B) the
     * scheduler hears of it at once: it needs the new epoch before it can give the next order.
     */
    private void handleReady(Peer peer, PeerStatus before) {
        run(peer, Ready.class, () -> peer.trace().handleReady(() -> new PeerMsgHandler(peer, ctx).handleRaftReady()));
        PeerStatus after = PeerStatus.of(peer);
        if (before.equals(after)) {
            return;
        }
        ctx.storeMeta().noteChange();
        if (before.region().getRegionEpoch().getVersion() != after.region().getRegionEpoch().getVersion()) {
            peer.forgetApproximateSize(); // a split changed the range: measure it again
        }
        boolean regionChanged = !before.region().getRegionEpoch().equals(after.region().getRegionEpoch());
        if (regionChanged && after.leader() && !peer.isStopped()) {
            PeerMsgDispatcher.heartbeatScheduler(peer, ctx);
        }
    }

    /** Mail for a peer destroyed after it was sent: a raft message may create a new peer, a command fails. */
    private void undeliverable(PeerMail mail) {
        if (mail.message() instanceof PeerMsg.RaftMessageMsg raft) {
            ctx.router().sendStore(new StoreMsg.StoreRaftMessage(raft.message()));
        } else if (mail.message() instanceof PeerMsg.RaftCommand command) {
            command.callback().done(CmdResponses.error(new RegionError.RegionNotFoundError(mail.regionId())));
        }
        // Ticks, starts and split checks for a peer that is gone have nothing left to do.
    }

    /** Runs a handler of {@code peer}; a failure is rethrown with its place and what was being handled. */
    private void run(Peer peer, Class<?> handling, Runnable handler) {
        try {
            handler.run();
        } catch (PeerFailure alreadyPlaced) {
            throw alreadyPlaced;
        } catch (RuntimeException e) {
            String doing = handling == Ready.class ? "handling its raft ready" : "handling " + handling.getSimpleName();
            throw new PeerFailure("store " + ctx.storeId() + " " + peer.tag(), doing, e);
        }
    }
}
