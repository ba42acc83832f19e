package tinykv.scheduler.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Timer;
import tinykv.scheduler.checker.ReplicaChecker;
import tinykv.scheduler.core.RegionInfo;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.Operator;
import tinykv.scheduler.schedule.Scheduler;
import tinykv.scheduler.schedulers.BalanceLeaderScheduler;
import tinykv.scheduler.schedulers.BalanceRegionScheduler;

/**
 * Runs each scheduler on a timer of the event loop (TinyKV's {@code coordinator} and
 * {@code scheduleController}): when a scheduler's timer fires and its kind's operator limit allows, it is
 * asked for an operator up to {@link #MAX_SCHEDULE_RETRIES} times (its region picks are random); an
 * operator goes to the cluster's operator controller, and the scheduler's interval drops to its minimum.
 * A round with nothing to do lets the interval grow. Beside the schedulers, the coordinator patrols the
 * regions every {@link #PATROL_REGION_INTERVAL}: each region without an operator goes to the
 * {@link ReplicaChecker}, which keeps it at its number of replicas (TinyKV's {@code patrolRegions}).
 */
public final class Coordinator {
    /** TinyKV's {@code maxScheduleRetries}. */
    public static final int MAX_SCHEDULE_RETRIES = 10;
    /** TinyKV's {@code patrolRegionInterval}. */
    public static final Duration PATROL_REGION_INTERVAL = Duration.ofMillis(100);

    private final EventLoop loop;
    private final RaftCluster cluster;
    private final List<ScheduleController> controllers = new ArrayList<>();
    private final ReplicaChecker replicaChecker = new ReplicaChecker();
    private Optional<Timer> patrol = Optional.empty();
    private boolean running;

    public Coordinator(EventLoop loop, RaftCluster cluster, List<Scheduler> schedulers) {
        this.loop = requireNonNull(loop, "loop");
        this.cluster = requireNonNull(cluster, "cluster");
        schedulers.forEach(s -> controllers.add(new ScheduleController(requireNonNull(s, "scheduler"))));
    }

    /** The schedulers TinyKV runs by default: balance-leader and balance-region. */
    public static List<Scheduler> defaultSchedulers(RaftCluster cluster) {
        return List.of(new BalanceLeaderScheduler(cluster.opController()),
                new BalanceRegionScheduler(cluster.opController()));
    }

    /** Starts every scheduler's timer. */
    public void start() {
        if (running) {
            return;
        }
        running = true;
        controllers.forEach(ScheduleController::arm);
        armPatrol();
    }

    /** Stops every timer; operators already handed out run on. */
    public void stop() {
        running = false;
        controllers.forEach(ScheduleController::disarm);
        patrol.ifPresent(Timer::cancel);
        patrol = Optional.empty();
    }

    private void armPatrol() {
        patrol = Optional.of(loop.schedule(PATROL_REGION_INTERVAL, "patrol regions", this::patrolRegions));
    }

    /** Hands each region without an operator to the replica checker, while region operators may start. */
    private void patrolRegions() {
        if (!running) {
            return;
        }
        for (RegionInfo region : cluster.getRegions()) {
            if (cluster.opController().operatorCount(OpKind.REGION) >= cluster.config().regionScheduleLimit()) {
                break;
            }
            if (cluster.opController().getOperator(region.id()).isEmpty()) {
                replicaChecker.check(cluster, region).ifPresent(cluster.opController()::addOperator);
            }
        }
        armPatrol();
    }

    /** One scheduler, its current interval and its timer. */
    private final class ScheduleController {
        private final Scheduler scheduler;
        private Duration interval;
        private Optional<Timer> timer = Optional.empty();

        ScheduleController(Scheduler scheduler) {
            this.scheduler = scheduler;
            this.interval = scheduler.minInterval();
        }

        void arm() {
            timer = Optional.of(loop.schedule(interval, "run " + scheduler.name(), this::run));
        }

        void disarm() {
            timer.ifPresent(Timer::cancel);
            timer = Optional.empty();
        }

        private void run() {
            if (!running) {
                return;
            }
            if (scheduler.isScheduleAllowed(cluster)) {
                Optional<Operator> op = scheduleOnce();
                if (op.isPresent()) {
                    cluster.opController().addOperator(op.get());
                    interval = scheduler.minInterval();
                } else {
                    interval = scheduler.nextInterval(interval);
                }
            }
            arm();
        }

        private Optional<Operator> scheduleOnce() {
            for (int i = 0; i < MAX_SCHEDULE_RETRIES; i++) {
                Optional<Operator> op = scheduler.schedule(cluster);
                if (op.isPresent()) {
                    return op;
                }
            }
            return Optional.empty();
        }
    }
}
