package tinykv.scheduler.core;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import tinykv.kv.storage.KeyRange;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.schedulerpb.RegionHeartbeatRequest;

/**
 * A region as the scheduler knows it (TinyKV's {@code core.RegionInfo}): the region's meta (id, key range,
 * epoch, peers), its leader, its pending peers (lagging behind the leader's log) and its approximate size.
 * Immutable: a heartbeat that changes anything yields a new value, made with the {@code with...} methods.
 *
 * @param meta            the region: id, {@code [start, end)} keys, epoch, peers
 * @param leader          the peer that sent the last heartbeat, if any has
 * @param pendingPeers    peers the leader reports as lagging behind
 * @param approximateSize the region's data in MiB, at least {@link #EMPTY_REGION_APPROXIMATE_SIZE} when
 *                        it comes from a heartbeat
 */
public record RegionInfo(Region meta, Optional<Peer> leader, List<Peer> pendingPeers, long approximateSize) {

    /** The size given to a region with less than one MiB of data, so that no region counts as nothing. */
    public static final long EMPTY_REGION_APPROXIMATE_SIZE = 1;

    private static final long MIB = 1 << 20;

    public RegionInfo {
        requireNonNull(meta, "meta");
        requireNonNull(leader, "leader");
        pendingPeers = List.copyOf(pendingPeers);
        if (approximateSize < 0) {
            throw new IllegalArgumentException("region " + meta.getId() + ": negative approximate size "
                    + approximateSize);
        }
    }

    /** A region with a leader, no pending peers and size 0. */
    public static RegionInfo of(Region meta, Peer leader) {
        return new RegionInfo(meta, Optional.of(leader), List.of(), 0);
    }

    /** A region no leader has reported yet. */
    public static RegionInfo withoutLeader(Region meta) {
        return new RegionInfo(meta, Optional.empty(), List.of(), 0);
    }

    /** TinyKV's {@code RegionFromHeartbeat}: the size in bytes becomes MiB, at least one. */
    public static RegionInfo fromHeartbeat(RegionHeartbeatRequest heartbeat) {
        long size = Math.max(EMPTY_REGION_APPROXIMATE_SIZE, heartbeat.getApproximateSize() / MIB);
        Optional<Peer> leader = heartbeat.hasLeader() ? Optional.of(heartbeat.getLeader()) : Optional.empty();
        return new RegionInfo(heartbeat.getRegion(), leader, heartbeat.getPendingPeersList(), size);
    }

    // ---- The meta ----

    public long id() {
        return meta.getId();
    }

    public RegionEpoch epoch() {
        return meta.getRegionEpoch();
    }

    public KeyRange keyRange() {
        return KeyRange.of(meta);
    }

    public ByteString startKey() {
        return meta.getStartKey();
    }

    public ByteString endKey() {
        return meta.getEndKey();
    }

    public List<Peer> peers() {
        return meta.getPeersList();
    }

    // ---- Peers ----

    /** The peer with this id, if the region has it. */
    public Optional<Peer> peer(long peerId) {
        return find(peers(), p -> p.getId() == peerId);
    }

    /** The region's peer on this store, if it has one there. */
    public Optional<Peer> storePeer(long storeId) {
        return find(peers(), p -> p.getStoreId() == storeId);
    }

    /** The pending peer with this id, if that peer is pending. */
    public Optional<Peer> pendingPeer(long peerId) {
        return find(pendingPeers, p -> p.getId() == peerId);
    }

    /** The stores that hold a peer of the region, in id order. */
    public Set<Long> storeIds() {
        Set<Long> ids = new TreeSet<>();
        peers().forEach(p -> ids.add(p.getStoreId()));
        return ids;
    }

    /** The peers that are not the leader, by store id in id order. */
    public Map<Long, Peer> followers() {
        Map<Long, Peer> followers = new TreeMap<>();
        peers().stream().filter(p -> !isLeader(p)).forEach(p -> followers.put(p.getStoreId(), p));
        return followers;
    }

    /** Whether {@code peer} is the leader the last heartbeat named. */
    public boolean isLeader(Peer peer) {
        return leader.isPresent() && leader.get().getId() == peer.getId();
    }

    /** The store of the leader, if a leader has reported. */
    public Optional<Long> leaderStoreId() {
        return leader.map(Peer::getStoreId);
    }

    // ---- Filters (TinyKV's core.HealthRegion) ----

    /** Regions a scheduler may move freely: no pending peer. */
    public static Predicate<RegionInfo> healthRegion() {
        return region -> region.pendingPeers().isEmpty();
    }

    /** Every region: pending peers allowed (this kit has no down peers or learners). */
    public static Predicate<RegionInfo> healthRegionAllowPending() {
        return region -> true;
    }

    // ---- New values ----

    public RegionInfo withMeta(Region newMeta) {
        return new RegionInfo(newMeta, leader, pendingPeers, approximateSize);
    }

    public RegionInfo withLeader(Peer newLeader) {
        return new RegionInfo(meta, Optional.of(newLeader), pendingPeers, approximateSize);
    }

    public RegionInfo withPendingPeers(List<Peer> newPendingPeers) {
        return new RegionInfo(meta, leader, newPendingPeers, approximateSize);
    }

    public RegionInfo withApproximateSize(long size) {
        return new RegionInfo(meta, leader, pendingPeers, size);
    }

    public RegionInfo withPeers(List<Peer> peers) {
        return withMeta(meta.toBuilder().clearPeers().addAllPeers(peers).build());
    }

    public RegionInfo withStartKey(ByteString key) {
        return withMeta(meta.toBuilder().setStartKey(key).build());
    }

    public RegionInfo withEndKey(ByteString key) {
        return withMeta(meta.toBuilder().setEndKey(key).build());
    }

    /** The region after a split or merge: version one higher. */
    public RegionInfo withIncVersion() {
        return withEpoch(epoch().toBuilder().setVersion(epoch().getVersion() + 1).build());
    }

    /** The region after a conf change: conf_ver one higher. */
    public RegionInfo withIncConfVer() {
        return withEpoch(epoch().toBuilder().setConfVer(epoch().getConfVer() + 1).build());
    }

    public RegionInfo withEpoch(RegionEpoch newEpoch) {
        return withMeta(meta.toBuilder().setRegionEpoch(newEpoch).build());
    }

    // ---- Text ----

    /** {@code (conf_ver 2, version 3)}. */
    public static String describe(RegionEpoch epoch) {
        return "(conf_ver " + epoch.getConfVer() + ", version " + epoch.getVersion() + ")";
    }

    /** {@code 5@s2}: peer 5 on store 2. */
    public static String describe(Peer peer) {
        return peer.getId() + "@s" + peer.getStoreId();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("region ").append(id()).append(' ').append(keyRange()).append(' ')
                .append(describe(epoch())).append(" peers [");
        text.append(String.join(", ", peers().stream().map(RegionInfo::describe).toList())).append(']');
        text.append(" leader ").append(leader.map(RegionInfo::describe).orElse("none"));
        if (!pendingPeers.isEmpty()) {
            text.append(" pending [").append(String.join(", ", pendingPeers.stream().map(RegionInfo::describe)
                    .toList())).append(']');
        }
        return text.append(" size ").append(approximateSize).toString();
    }

    private static Optional<Peer> find(List<Peer> peers, Predicate<Peer> which) {
        return peers.stream().filter(which).findFirst();
    }
}
