package tinykv.scheduler.operator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.schedule.Cluster;

/**
 * A plan for one region, as a list of steps carried out one after another (TinyKV's
 * {@code operator.Operator}): for example "add a peer on store 4, transfer the leader away from store 1,
 * remove the peer on store 1". The operator controller keeps at most one per region and moves it on as the
 * region's heartbeats show each step done.
 *
 * <p>An operator is made against the region's epoch at that moment; the controller drops it if the epoch
 * moves on in a way its own steps do not explain, or if it runs longer than its kind allows.
 */
public final class Operator {
    /** How long an operator that only moves a leader may run. */
    public static final Duration LEADER_OPERATOR_WAIT_TIME = Duration.ofSeconds(10);
    /** How long an operator that moves peers may run (a new peer may need a snapshot). */
    public static final Duration REGION_OPERATOR_WAIT_TIME = Duration.ofMinutes(10);

    private final String desc;
    private final long regionId;
    private final RegionEpoch regionEpoch;
    private final EnumSet<OpKind> kinds;
    private final List<OpStep> steps;
    /** Index of the first step not yet seen done; {@code steps.size()} once the operator is finished. */
    private int currentStep;
    /** Virtual time the controller started the operator, empty before. */
    private Optional<Long> startTimeMs = Optional.empty();

    public Operator(String desc, long regionId, RegionEpoch regionEpoch, Set<OpKind> kinds, List<OpStep> steps) {
        this.desc = requireNonNull(desc, "desc");
        this.regionId = regionId;
        this.regionEpoch = requireNonNull(regionEpoch, "regionEpoch");
        this.kinds = EnumSet.noneOf(OpKind.class);
        this.kinds.addAll(kinds);
        this.steps = List.copyOf(steps);
        if (this.steps.isEmpty()) {
            throw new IllegalArgumentException("operator " + desc + " for region " + regionId + " has no steps");
        }
    }

    // ---- Factories (TinyKV's Create...Operator) ----

    /**
     * Moves the region's peer from {@code oldStore} to {@code newStore}: add peer {@code peerId} on the new
     * store, then (if the old store leads the region) transfer the leadership to a follower or the new peer,
     * then remove the old peer. Empty if the old store leads and no store can take the leadership.
     */
    public static Optional<Operator> createMovePeerOperator(String desc, Cluster cluster, RegionInfo region,
            OpKind kind, long oldStore, long newStore, long peerId) {
        List<Long> candidates = new ArrayList<>(region.followers().keySet());
        candidates.add(newStore);
        Optional<List<OpStep>> leaderSteps = transferLeaderSteps(cluster, region, oldStore, candidates);
        if (leaderSteps.isEmpty()) {
            return Optional.empty();
        }
        List<OpStep> steps = new ArrayList<>();
        steps.add(new OpStep.AddPeer(newStore, peerId));
        steps.addAll(leaderSteps.get());
        steps.add(new OpStep.RemovePeer(oldStore));
        Set<OpKind> kinds = EnumSet.of(kind, OpKind.REGION);
        if (!leaderSteps.get().isEmpty()) {
            kinds.add(OpKind.LEADER);
        }
        return Optional.of(new Operator(desc, region.id(), region.epoch(), kinds, steps));
    }

    /** Moves the region's leadership from {@code fromStore} to {@code toStore}. */
    public static Operator createTransferLeaderOperator(String desc, RegionInfo region, long fromStore,
            long toStore, OpKind kind) {
        return new Operator(desc, region.id(), region.epoch(), EnumSet.of(kind, OpKind.LEADER),
                List.of(new OpStep.TransferLeader(fromStore, toStore)));
    }

    /**
     * Removes the region's peer on {@code store}, after handing its leadership to a follower if it leads.
     * Empty if it leads and no other store can take the leadership.
     */
    public static Optional<Operator> createRemovePeerOperator(String desc, Cluster cluster, RegionInfo region,
            OpKind kind, long store) {
        List<Long> candidates = new ArrayList<>(region.followers().keySet());
        candidates.remove(store);
        return transferLeaderSteps(cluster, region, store, candidates).map(leaderSteps -> {
            List<OpStep> steps = new ArrayList<>(leaderSteps);
            steps.add(new OpStep.RemovePeer(store));
            Set<OpKind> kinds = EnumSet.of(kind, OpKind.REGION);
            if (!leaderSteps.isEmpty()) {
                kinds.add(OpKind.LEADER);
            }
            return new Operator(desc, region.id(), region.epoch(), kinds, steps);
        });
    }

    /** Adds peer {@code peerId} on {@code toStore}. */
    public static Operator createAddPeerOperator(String desc, RegionInfo region, long peerId, long toStore,
            OpKind kind) {
        return new Operator(desc, region.id(), region.epoch(), EnumSet.of(kind, OpKind.REGION),
                List.of(new OpStep.AddPeer(toStore, peerId)));
    }

    /**
     * The steps that take the leadership off {@code storeId} before its peer goes: none if it does not lead,
     * one transfer to the first candidate store the cluster knows, or empty if there is none.
     */
    private static Optional<List<OpStep>> transferLeaderSteps(Cluster cluster, RegionInfo region, long storeId,
            List<Long> candidates) {
        if (region.leaderStoreId().filter(leader -> leader == storeId).isEmpty()) {
            return Optional.of(List.of());
        }
        return candidates.stream().filter(id -> cluster.getStore(id).isPresent()).findFirst()
                .map(target -> List.of(new OpStep.TransferLeader(storeId, target)));
    }

    // ---- What it is ----

    public String desc() {
        return desc;
    }

    public long regionId() {
        return regionId;
    }

    /** The region's epoch when the operator was made. */
    public RegionEpoch regionEpoch() {
        return regionEpoch;
    }

    public Set<OpKind> kinds() {
        return kinds.clone();
    }

    public boolean hasKind(OpKind kind) {
        return kinds.contains(kind);
    }

    public int len() {
        return steps.size();
    }

    public OpStep step(int index) {
        return steps.get(index);
    }

    public List<OpStep> steps() {
        return steps;
    }

    // ---- Progress (the operator controller drives these) ----

    /**
     * Moves past every step {@code region} shows done and returns the first one it does not; empty once all
     * are done.
     */
    public Optional<OpStep> check(RegionInfo region) {
        while (currentStep < steps.size() && steps.get(currentStep).isFinish(region)) {
            currentStep++;
        }
        return currentStep < steps.size() ? Optional.of(steps.get(currentStep)) : Optional.empty();
    }

    public boolean isFinish() {
        return currentStep >= steps.size();
    }

    /** How many of the steps up to the current one bumped the region's conf_ver, as {@code region} shows. */
    public int confVerChanged(RegionInfo region) {
        int last = Math.min(currentStep, steps.size() - 1);
        int total = 0;
        for (int i = 0; i <= last; i++) {
            if (steps.get(i).confVerChanged(region)) {
                total++;
            }
        }
        return total;
    }

    public void start(long nowMs) {
        startTimeMs = Optional.of(nowMs);
    }

    /** Whether the operator, started and unfinished, has run longer than its kind allows at {@code nowMs}. */
    public boolean isTimeout(long nowMs) {
        if (isFinish() || startTimeMs.isEmpty()) {
            return false;
        }
        Duration limit = hasKind(OpKind.REGION) ? REGION_OPERATOR_WAIT_TIME : LEADER_OPERATOR_WAIT_TIME;
        return nowMs - startTimeMs.get() > limit.toMillis();
    }

    @Override
    public String toString() {
        return desc + " on region " + regionId + " " + RegionInfo.describe(regionEpoch) + " " + kinds + " steps "
                + steps + (isFinish() ? " finished" : " at step " + currentStep);
    }
}
