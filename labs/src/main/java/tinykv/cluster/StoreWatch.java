package tinykv.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import tinykv.kv.raftstore.RaftStore;
import tinykv.sim.Simulator;

/**
 * Looks at every store after every event and tells its listeners about the ones that changed: a store that
 * stopped, one that (re)started, and one whose {@link RaftStore#statusVersion} moved (the raft worker moves it
 * with every change of a peer's role, term or region). A store at rest costs one compare per event, however
 * many checks watch it: the timeline and the multi-raft invariants share this one look.
 */
final class StoreWatch {
    /** Told about one store that changed since the last event. */
    interface Listener {
        /**
         * {@code store} is empty when the store has stopped; {@code started} says that it is a store process
         * not seen before (the first look at it, or a restart).
         */
        void changed(long storeId, Optional<RaftStore> store, boolean started);
    }

    private record Seen(RaftStore store, long version) {}

    private final Supplier<List<Long>> storeIds;
    private final LongFunction<Optional<RaftStore>> running;
    private final List<Listener> listeners = new ArrayList<>();
    /** The store list the arrays below follow (it is made once, at bootstrap), and what each store was. */
    private List<Long> ids = List.of();
    private Seen[] seen = new Seen[0];

    /** {@code storeIds} is asked at every look: the stores exist only once the cluster has started. */
    StoreWatch(Supplier<List<Long>> storeIds, LongFunction<Optional<RaftStore>> running) {
        this.storeIds = storeIds;
        this.running = running;
    }

    void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Looks after every event from now on, as the check {@code name}. */
    void install(Simulator sim, String name) {
        sim.checkAfterEachEvent(name, this::look);
    }

    void look() {
        List<Long> now = storeIds.get();
        if (now != ids) {
            ids = now;
            seen = new Seen[now.size()];
        }
        for (int i = 0; i < seen.length; i++) {
            long storeId = ids.get(i);
            Optional<RaftStore> store = running.apply(storeId);
            Seen before = seen[i];
            if (store.isEmpty()) {
                if (before != null) {
                    seen[i] = null;
                    tell(storeId, store, false);
                }
                continue;
            }
            long version = store.get().statusVersion();
            if (before != null && before.store() == store.get() && before.version() == version) {
                continue;
            }
            seen[i] = new Seen(store.get(), version);
            tell(storeId, store, before == null || before.store() != store.get());
        }
    }

    private void tell(long storeId, Optional<RaftStore> store, boolean started) {
        for (Listener listener : listeners) {
            listener.changed(storeId, store, started);
        }
    }
}
