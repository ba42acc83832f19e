package tinykv.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the stores and the network did during a run, as spans of virtual time for the timeline: each store's
 * role and term per region, its stops, the network's filters, and snapshot transfers. Spans still open when
 * the timeline is drawn end at that moment.
 */
public final class ClusterTimeline {
    /** A peer's role in a region over a span; role is "leader", "follower" or "down" (region 0: the store). */
    public record StoreSpan(long storeId, long regionId, String role, long term, long start, long end) {}

    /** A filter on the network over a span, as it describes itself ("partition [1, 2] | [3, 4, 5]"). */
    public record NetworkSpan(String filter, long start, long end) {}

    /** A snapshot of a region sent from one store to another; completed if every chunk arrived. */
    public record SnapshotSpan(long regionId, long fromStore, long toStore, long start, long end, boolean completed) {}

    private record Open<T>(T what, long start) {}

    private record RoleKey(long storeId, long regionId) {}

    private record Role(String role, long term) {}

    private final LongSupplier virtualMillis;
    private final List<StoreSpan> storeSpans = new ArrayList<>();
    private final Map<RoleKey, Open<Role>> roles = new LinkedHashMap<>();
    private final List<NetworkSpan> networkSpans = new ArrayList<>();
    private final List<Open<String>> filters = new ArrayList<>();
    private final List<SnapshotSpan> snapshotSpans = new ArrayList<>();
    private final Map<Long, Open<SnapshotSpan>> transfers = new HashMap<>();

    public ClusterTimeline(LongSupplier virtualMillis) {
        this.virtualMillis = virtualMillis;
    }

    private long now() {
        return virtualMillis.getAsLong();
    }

    // ---- stores ----------------------------------------------------------------------------------------

    /** The store's peer of the region is now leader or not, in {@code term}; a repeat changes nothing. */
    public void role(long storeId, long regionId, boolean leader, long term) {
        set(new RoleKey(storeId, regionId), new Role(leader ? "leader" : "follower", term));
    }

    /** The store has no peer of the region any more. */
    public void regionGone(long storeId, long regionId) {
        close(new RoleKey(storeId, regionId));
    }

    /** The store stopped: every region's span on it ends, and a "down" span starts. */
    public void storeDown(long storeId) {
        for (RoleKey key : List.copyOf(roles.keySet())) {
            if (key.storeId() == storeId) {
                close(key);
            }
        }
        set(new RoleKey(storeId, 0), new Role("down", 0));
    }

    /** The store runs again. */
    public void storeUp(long storeId) {
        close(new RoleKey(storeId, 0));
    }

    private void set(RoleKey key, Role role) {
        Open<Role> open = roles.get(key);
        if (open != null && open.what().equals(role)) {
            return;
        }
        close(key);
        roles.put(key, new Open<>(role, now()));
    }

    private void close(RoleKey key) {
        Open<Role> open = roles.remove(key);
        if (open != null) {
            storeSpans.add(new StoreSpan(key.storeId(), key.regionId(), open.what().role(), open.what().term(),
                    open.start(), now()));
        }
    }

    // ---- network ---------------------------------------------------------------------------------------

    public void filterAdded(String filter) {
        filters.add(new Open<>(filter, now()));
    }

    public void filtersCleared() {
        for (Open<String> open : filters) {
            networkSpans.add(new NetworkSpan(open.what(), open.start(), now()));
        }
        filters.clear();
    }

    /** The first chunk of transfer {@code transferId} left; a repeat (a resent chunk) changes nothing. */
    public void snapshotStarted(long transferId, long regionId, long fromStore, long toStore) {
        transfers.computeIfAbsent(transferId, id -> new Open<>(
                new SnapshotSpan(regionId, fromStore, toStore, now(), now(), false), now()));
    }

    /** Every chunk of transfer {@code transferId} has arrived. */
    public void snapshotCompleted(long transferId) {
        Open<SnapshotSpan> open = transfers.remove(transferId);
        if (open != null) {
            SnapshotSpan span = open.what();
            snapshotSpans.add(new SnapshotSpan(span.regionId(), span.fromStore(), span.toStore(), open.start(),
                    now(), true));
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------

    /** The spans so far; open ones end now. */
    public List<StoreSpan> storeSpans() {
        List<StoreSpan> all = new ArrayList<>(storeSpans);
        roles.forEach((key, open) -> all.add(new StoreSpan(key.storeId(), key.regionId(), open.what().role(),
                open.what().term(), open.start(), now())));
        return all;
    }

    public List<NetworkSpan> networkSpans() {
        List<NetworkSpan> all = new ArrayList<>(networkSpans);
        filters.forEach(open -> all.add(new NetworkSpan(open.what(), open.start(), now())));
        return all;
    }

    public List<SnapshotSpan> snapshotSpans() {
        List<SnapshotSpan> all = new ArrayList<>(snapshotSpans);
        transfers.values().forEach(open -> all.add(new SnapshotSpan(open.what().regionId(), open.what().fromStore(),
                open.what().toStore(), open.start(), now(), false)));
        return all;
    }
}
