package tinykv.scheduler.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.metapb.Store;

/** Every store the scheduler knows, by id (TinyKV's {@code core.StoresInfo}). Guarded by {@link BasicCluster}. */
public final class StoresInfo {
    private final Map<Long, StoreInfo> stores = new TreeMap<>();

    public Optional<StoreInfo> getStore(long storeId) {
        return Optional.ofNullable(stores.get(storeId));
    }

    public void setStore(StoreInfo store) {
        stores.put(store.id(), store);
    }

    public void deleteStore(long storeId) {
        stores.remove(storeId);
    }

    /** Every store, in id order. */
    public List<StoreInfo> getStores() {
        return new ArrayList<>(stores.values());
    }

    public List<Store> getMetaStores() {
        return stores.values().stream().map(StoreInfo::meta).toList();
    }

    public int getStoreCount() {
        return stores.size();
    }

    /** Sets the store's counts; a store the scheduler does not know is left alone. */
    public void updateStoreStatus(long storeId, StoreStatus status) {
        StoreInfo store = stores.get(storeId);
        if (store != null) {
            stores.put(storeId, store.withStatus(status));
        }
    }
}
