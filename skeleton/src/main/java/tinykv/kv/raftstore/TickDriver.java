package tinykv.kv.raftstore;

import tinykv.runtime.EventLoop;

/**
 * The store's clock (TinyKV's {@code tickDriver}): every base tick interval, one tick to every peer; the
 * store's own heartbeat to the scheduler, and its snapshot GC, each on its interval.
 */
final class TickDriver {
    private final StoreContext ctx;
    private final EventLoop loop;

    TickDriver(StoreContext ctx) {
        this.ctx = ctx;
        this.loop = ctx.loop();
    }

    void start() {
        scheduleBaseTick();
        scheduleStoreHeartbeat();
        scheduleSnapshotGc();
    }

    private void scheduleBaseTick() {
        loop.schedule(ctx.config().raftBaseTickInterval(), "base tick", () -> {
            for (long regionId : ctx.router().regionIds()) {
                ctx.router().send(regionId, new PeerMsg.Tick());
            }
            scheduleBaseTick();
        });
    }

    private void scheduleStoreHeartbeat() {
        loop.schedule(ctx.config().schedulerStoreHeartbeatTickInterval(), "store heartbeat tick", () -> {
            ctx.router().sendStore(new StoreMsg.StoreHeartbeatTick());
            scheduleStoreHeartbeat();
        });
    }

    private void scheduleSnapshotGc() {
        loop.schedule(ctx.config().snapshot().gcInterval(), "snapshot gc tick", () -> {
            ctx.router().sendStore(new StoreMsg.SnapshotGcTick());
            scheduleSnapshotGc();
        });
    }
}
