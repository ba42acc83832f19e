package tinykv.kv.raftstore;

import tinykv.runtime.EventLoop;

/**
 * The store's clock (TinyKV's {@code tickDriver}): every base tick interval, one tick to every peer; and
 * the store's own heartbeat to the scheduler on its interval.
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
}
