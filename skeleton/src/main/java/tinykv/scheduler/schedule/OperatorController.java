package tinykv.scheduler.schedule;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.schedulerpb.OperatorStatus;
import tinykv.proto.schedulerpb.RegionHeartbeatResponse;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.OpStep;
import tinykv.scheduler.operator.Operator;

/**
 * Keeps at most one operator per region and carries it out (TinyKV's {@code schedule.OperatorController}):
 * each region heartbeat moves the region's operator past the steps the heartbeat shows done, and the
 * answer to the heartbeat carries the next step. An operator ends when all its steps are done, when it
 * runs too long, when the region's epoch moves on in a way its own steps do not explain (someone else
 * changed the region), or when its next step cannot be carried out (its peer is gone). How each ended is
 * kept, per region, for {@link #getOperatorStatus}.
 */
public final class OperatorController {
    private final Cluster cluster;
    private final Map<Long, Operator> operators = new TreeMap<>();
    private final Map<Long, OperatorRecord> finished = new TreeMap<>();

    public OperatorController(Cluster cluster) {
        this.cluster = requireNonNull(cluster, "cluster");
    }

    /**
     * Starts {@code op} unless the region is unknown, its epoch is no longer the operator's, or it already
     * has an operator (an admin operator replaces any other). Returns whether it started.
     */
    public synchronized boolean addOperator(Operator op) {
        Optional<RegionInfo> region = cluster.getRegion(op.regionId());
        Optional<String> refusal = region.isEmpty() ? Optional.of("region " + op.regionId() + " is not known")
                : !region.get().epoch().equals(op.regionEpoch())
                        ? Optional.of("region " + op.regionId() + " is at epoch " + RegionInfo.describe(region.get().epoch())
                                + " now, not the operator's " + RegionInfo.describe(op.regionEpoch()))
                        : Optional.empty();
        Operator old = operators.get(op.regionId());
        if (refusal.isEmpty() && old != null) {
            if (!op.hasKind(OpKind.ADMIN)) {
                refusal = Optional.of("region " + op.regionId() + " already has an operator: " + old);
            } else {
                end(old, OperatorStatus.REPLACE, "replaced by " + op.desc());
            }
        }
        if (refusal.isPresent()) {
            finished.put(op.regionId(), new OperatorRecord(op, OperatorStatus.CANCEL, refusal.get()));
            return false;
        }
        operators.put(op.regionId(), op);
        op.start(cluster.now());
        return true;
    }

    /**
     * What to tell the region's leader in answer to this heartbeat (TinyKV's {@code Dispatch}): the next
     * step of the region's operator as a command, or nothing. Ends the operator when the heartbeat shows
     * it done, stale, timed out or impossible.
     */
    public synchronized Optional<RegionHeartbeatResponse> dispatch(RegionInfo region) {
        Operator op = operators.get(region.id());
        if (op == null) {
            return Optional.empty();
        }
        boolean timeout = op.isTimeout(cluster.now());
        Optional<OpStep> step = op.check(region);
        if (step.isPresent() && !timeout) {
            Optional<String> stale = staleness(op, region);
            if (stale.isPresent()) {
                end(op, OperatorStatus.CANCEL, stale.get());
                return Optional.empty();
            }
            return command(op, region, step.get());
        }
        if (op.isFinish()) {
            end(op, OperatorStatus.SUCCESS, "");
        } else if (timeout) {
            end(op, OperatorStatus.TIMEOUT, "ran longer than its limit at step " + step.orElseThrow());
        }
        return Optional.empty();
    }

    /** Why the region's epoch shows someone else changed it since the operator was made, if it does. */
    private static Optional<String> staleness(Operator op, RegionInfo region) {
        RegionEpoch origin = op.regionEpoch();
        RegionEpoch latest = region.epoch();
        long confChanges = latest.getConfVer() - origin.getConfVer();
        if (latest.getVersion() != origin.getVersion() || confChanges > op.confVerChanged(region)) {
            return Optional.of("region " + region.id() + " moved from epoch " + RegionInfo.describe(origin) + " to "
                    + RegionInfo.describe(latest) + ", more than the operator's own steps explain");
        }
        return Optional.empty();
    }

    /** The heartbeat answer carrying {@code step}, or empty (and the operator cancelled) if it cannot be done. */
    private Optional<RegionHeartbeatResponse> command(Operator op, RegionInfo region, OpStep step) {
        RegionHeartbeatResponse.Builder response = RegionHeartbeatResponse.newBuilder().setRegionId(region.id())
                .setRegionEpoch(region.epoch());
        region.leader().ifPresent(response::setTargetPeer);
        Optional<String> impossible = step.addTo(response, region);
        if (impossible.isPresent()) {
            end(op, OperatorStatus.CANCEL, impossible.get());
            return Optional.empty();
        }
        boolean hasCommand = response.hasChangePeer() || response.hasTransferLeader();
        return hasCommand ? Optional.of(response.build()) : Optional.empty();
    }

    private void end(Operator op, OperatorStatus status, String reason) {
        operators.remove(op.regionId(), op);
        finished.put(op.regionId(), new OperatorRecord(op, status, reason));
    }

    /** Drops the operator if it is the region's current one; returns whether it was. */
    public synchronized boolean removeOperator(Operator op) {
        if (operators.get(op.regionId()) != op) {
            return false;
        }
        end(op, OperatorStatus.CANCEL, "removed");
        return true;
    }

    public synchronized Optional<Operator> getOperator(long regionId) {
        return Optional.ofNullable(operators.get(regionId));
    }

    /** The running operators, by region id. */
    public synchronized List<Operator> getOperators() {
        return new ArrayList<>(operators.values());
    }

    /** How many running operators are of {@code kind}. */
    public synchronized int operatorCount(OpKind kind) {
        return (int) operators.values().stream().filter(op -> op.hasKind(kind)).count();
    }

    /** The region's running operator, or how its last one ended. */
    public synchronized Optional<OperatorRecord> getOperatorStatus(long regionId) {
        Operator running = operators.get(regionId);
        if (running != null) {
            return Optional.of(new OperatorRecord(running, OperatorStatus.RUNNING, ""));
        }
        return Optional.ofNullable(finished.get(regionId));
    }
}
