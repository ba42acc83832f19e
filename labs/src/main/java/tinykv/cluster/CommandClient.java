package tinykv.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import tinykv.kv.engine.CfIterator;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.history.KvOutput;
import tinykv.history.KvText;
import tinykv.kv.storage.KeyRange;
import tinykv.kv.storage.RegionReader;
import tinykv.kv.raftstore.Callback;
import tinykv.kv.raftstore.RegionChecks;
import tinykv.kv.storage.KeyRange;
import tinykv.kv.storage.RegionReader;
import tinykv.proto.errorpb.Error;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.runtime.Log;
import tinykv.runtime.Timer;
import tinykv.scheduler.client.RegionAndLeader;
import tinykv.sim.Simulator;

/**
 * How a client talks to the cluster, without ever waiting: TinyKV's {@code Request}, {@code CallCommand},
 * {@code CallCommandOnLeader}, {@code LeaderOfRegion}, {@code GetRegion} and {@code Scan}, each written as a
 * small state machine of simulator events that ends by calling its continuation. TinyKV's sleeps and
 * timeouts are the same lengths here, in virtual time.
 *
 * <p>Continuations run as events of the client ({@code owner}), never inside a raftstore handler. A client
 * that gives up (TinyKV panics there) throws from its event, which fails the run with the simulator's
 * report: virtual time, seed, last events.
 */
final class CommandClient {
    /** How long a command takes to reach a store, and its answer to come back: never zero, like the network. */
    static final long CLIENT_HOP_MS = 1;
    /** TinyKV: CallCommandOnLeader gives each store a second to answer. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    /** TinyKV: Request sleeps 100 ms after a failed try. */
    private static final long REQUEST_RETRY_MS = 100;
    /** TinyKV: LeaderOfRegion asks the scheduler 500 times, 10 ms apart. */
    private static final int LEADER_POLLS = 500;
    private static final long LEADER_POLL_MS = 10;
    /** TinyKV: GetRegion asks the scheduler 100 times, 20 ms apart. */
    private static final int REGION_POLLS = 100;
    private static final long REGION_POLL_MS = 20;

    private final StoreProcesses stores;
    /** Every command handed to a store, until answered: the answer checks. */
    private final CallbackLedger ledger;
    private final TestScheduler scheduler;
    private final Log log;
    private final Simulator sim;
    private final String owner;
    private final SplittableRandom random;
    private final ClientHistory history;
    private final CommandDelivery delivery;
    /** The store whose answer this client last took, for the history (which store answered an operation). */
    private long answeredBy;
    /** The peer this client last sent a command to, for the report when a request gives up. */
    private Peer lastTarget;
    /**
     * The leader of each region as this client last found it (TinyKV's {@code leaders}): the peer that last
     * answered its command without an error. Dropped on silence or on any error; then the scheduler is asked.
     */
    private final Map<Long, Peer> knownLeaders = new HashMap<>();

    CommandClient(Simulator sim, StoreProcesses stores, TestScheduler scheduler, CallbackLedger ledger, Log log,
            String owner, ClientHistory history, CommandDelivery delivery) {
        this.sim = sim;
        this.ledger = ledger;
        this.history = history;
        this.delivery = delivery;
        this.stores = stores;
        this.scheduler = scheduler;
        this.log = log;
        this.owner = owner;
        this.random = sim.random(owner);
    }

    String owner() {
        return owner;
    }

    // ---- one store ---------------------------------------------------------------------------------------

    /**
     * Sends {@code request} to the store its header names; the result, or empty if no answer came within
     * {@code timeout} (a stopped store never answers).
     */
    void callCommand(RaftCmdRequest request, Duration timeout, Consumer<Optional<CommandResult>> then) {
        long storeId = request.getHeader().getPeer().getStoreId();
        long regionId = request.getHeader().getRegionId();
        int incarnation = stores.incarnation(storeId);
        boolean[] finished = {false};
        CommandLog line = new CommandLog(log, owner, request);
        line.sent();
        Timer timer = sim.schedule(timeout.toMillis(), owner,
                "command to region " + regionId + " on store " + storeId + " timed out", () -> {
                    if (!finished[0]) {
                        finished[0] = true;
                        line.timedOut(timeout);
                        then.accept(Optional.empty());
                    }
                });
        stores.runOnStore(storeId, CLIENT_HOP_MS, "command from " + owner + " to region " + regionId, raftStore -> {
            Callback callback = new Callback();
            callback.whenDone(done -> sim.schedule(CLIENT_HOP_MS, owner,
                    "answer from region " + regionId + " on store " + storeId, () -> {
                        CommandResult result = new CommandResult(done.response(), done.snapshot());
                        // A store that stopped since has closed the engines a reader would read (it may be
                        // down and not yet restarted: a crash point fell after the answer, in the same instant).
                        boolean readerLost = done.snapshot().isPresent() && stores.running(storeId).isEmpty();
                        if (finished[0] || stores.incarnation(storeId) != incarnation || readerLost) {
                            line.dropped(done.response());
                            result.discard();
                            return;
                        }
                        finished[0] = true;
                        line.answered(done.response());
                        timer.cancel();
                        answeredBy = storeId;
                        then.accept(Optional.of(result));
                    }));
            ledger.track(storeId, raftStore, request, callback);
            delivery.deliver(storeId, raftStore, request, callback);
        });
    }

    // ---- the leader ----------------------------------------------------------------------------------------

    /**
     * Sends {@code request} to its region's leader, following NotLeader hints and retrying on stale commands and
     * on a leader that is behind the request's epoch; a request older than the region is answered with its
     * epoch mismatch at once; empty once {@code timeout} has passed (TinyKV's CallCommandOnLeader).
     */
    void callCommandOnLeader(RaftCmdRequest request, Duration timeout, Consumer<Optional<CommandResult>> then) {
        long start = sim.now();
        long regionId = request.getHeader().getRegionId();
        Peer known = knownLeaders.get(regionId);
        if (known != null) {
            tryLeader(request, Optional.of(known), start, timeout, then);
        } else {
            leaderOfRegion(regionId, leader -> tryLeader(request, leader, start, timeout, then));
        }
    }

    private void tryLeader(RaftCmdRequest request, Optional<Peer> leader, long start, Duration timeout,
            Consumer<Optional<CommandResult>> then) {
        long regionId = request.getHeader().getRegionId();
        if (sim.now() - start > timeout.toMillis()) {
            then.accept(Optional.empty());
            return;
        }
        Peer target = leader.orElseThrow(() -> new AssertionError("no leader of region " + regionId
                + " reported to the scheduler within " + LEADER_POLLS * LEADER_POLL_MS + " ms"));
        lastTarget = target;
        RaftCmdRequest toLeader = request.toBuilder().setHeader(request.getHeader().toBuilder().setPeer(target)).build();
        callCommand(toLeader, CALL_TIMEOUT, result -> {
            knownLeaders.remove(regionId);
            if (result.isEmpty()) {
                leaderOfRegion(regionId, newLeader -> {
                    if (newLeader.isPresent() && !newLeader.get().equals(target)) {
                        tryLeader(request, newLeader, start, timeout, then);
                        return;
                    }
                    // The scheduler still names the peer that did not answer: try one at random.
                    Optional<RegionAndLeader> region = scheduler.getRegionById(regionId);
                    if (region.isEmpty()) {
                        then.accept(Optional.empty());
                        return;
                    }
                    List<Peer> peers = region.get().region().getPeersList();
                    Peer any = peers.get(random.nextInt(peers.size()));
                    tryLeader(request, Optional.of(any), start, timeout, then);
                });
                return;
            }
            Error error = result.get().response().getHeader().getError();
            // Differs from TinyKV: an epoch mismatch is retried only while the leader is behind the request (it has
            // yet to apply a change the scheduler already knows); a request older than the region is handed back
            // at once instead of retried with its stale epoch until the timeout (5 s per split the client did not
            // know of), and the caller asks the scheduler for the region again.
            if (error.hasStaleCommand() || error.hasNotLeader() || isLeaderBehind(request, error)) {
                result.get().discard();
                if (error.hasNotLeader() && error.getNotLeader().hasLeader()) {
                    tryLeader(request, Optional.of(error.getNotLeader().getLeader()), start, timeout, then);
                } else {
                    leaderOfRegion(regionId, newLeader -> tryLeader(request, newLeader, start, timeout, then));
                }
                return;
            }
            if (!result.get().response().getHeader().hasError()) {
                knownLeaders.put(regionId, target);
            }
            then.accept(result);
        });
    }

    /** Whether an epoch mismatch says the answering peer has an older epoch of the region than the request. */
    private static boolean isLeaderBehind(RaftCmdRequest request, Error error) {
        if (!error.hasEpochNotMatch()) {
            return false;
        }
        long regionId = request.getHeader().getRegionId();
        return error.getEpochNotMatch().getCurrentRegionsList().stream()
                .filter(region -> region.getId() == regionId)
                .anyMatch(region -> RegionChecks.isEpochStale(region.getRegionEpoch(), request.getHeader().getRegionEpoch()));
    }

    /** The region's leader as the scheduler knows it, asked until known or for 5 s (TinyKV's LeaderOfRegion). */
    void leaderOfRegion(long regionId, Consumer<Optional<Peer>> then) {
        poll(LEADER_POLLS, LEADER_POLL_MS, "leader of region " + regionId,
                () -> scheduler.getRegionById(regionId).flatMap(RegionAndLeader::leader), then);
    }

    /** The region holding {@code key}, asked until known or for 2 s (after a split a range may be briefly unknown). */
    void getRegion(byte[] key, Consumer<Region> then) {
        poll(REGION_POLLS, REGION_POLL_MS, "region of key " + KeyText.of(key),
                () -> scheduler.getRegion(key).map(RegionAndLeader::region),
                region -> then.accept(region.orElseThrow(() -> new AssertionError("the scheduler knows no region "
                        + "holding key " + KeyText.of(key) + " after " + REGION_POLLS * REGION_POLL_MS + " ms"))));
    }

    private <T> void poll(int times, long intervalMs, String what, java.util.function.Supplier<Optional<T>> ask,
            Consumer<Optional<T>> then) {
        Optional<T> answer = ask.get();
        if (answer.isPresent() || times <= 1) {
            then.accept(answer);
            return;
        }
        sim.schedule(intervalMs, owner, "ask scheduler for " + what, () -> poll(times - 1, intervalMs, what, ask, then));
    }

    // ---- requests by key -----------------------------------------------------------------------------------

    /**
     * Sends {@code requests} to the region holding {@code key}, retrying every 100 ms on errors and silence:
     * at least 10 tries, and until {@code timeout} has passed; then the client gives up and the run fails
     * (TinyKV's Request panics with "request timeout").
     */
    void request(byte[] key, List<Request> requests, Duration timeout, Consumer<CommandResult> then) {
        new RequestAttempts(key, requests, timeout, recorded(requests, then)).next();
    }

    /**
     * Like {@link #request}, but the first try goes to the region's peer on {@code storeId}, whatever its role
     * (a client that reaches one store): if that peer answers within a second without an error, its answer is
     * the answer; otherwise the request goes on as {@link #request} does.
     */
    void requestVia(long storeId, byte[] key, List<Request> requests, Duration timeout, Consumer<CommandResult> then) {
        Consumer<CommandResult> answered = recorded(requests, then);
        getRegion(key, region -> {
            Optional<Peer> peer = RegionChecks.findPeer(region, storeId);
            if (peer.isEmpty()) {
                new RequestAttempts(key, requests, timeout, answered).next();
                return;
            }
            RaftCmdRequest request = Requests.newRequest(region.getId(), region.getRegionEpoch(), requests);
            request = request.toBuilder().setHeader(request.getHeader().toBuilder().setPeer(peer.get())).build();
            callCommand(request, CALL_TIMEOUT, result -> {
                if (result.isPresent() && !result.get().hasError()) {
                    answered.accept(result.get());
                    return;
                }
                result.ifPresent(CommandResult::discard);
                new RequestAttempts(key, requests, timeout, answered).next();
            });
        });
    }

    /** {@code then}, after the history has recorded the answer; the call is recorded now. */
    private Consumer<CommandResult> recorded(List<Request> requests, Consumer<CommandResult> then) {
        return history.request(owner, requests, CommandResult::response, () -> answeredBy, then);
    }

    /** The Raft state of the peer last sent a command, when its store runs (a request-timeout report ends with it). */
    private String targetState(long regionId) {
        if (lastTarget == null) {
            return "";
        }
        return stores.running(lastTarget.getStoreId())
                .flatMap(store -> store.describePeer(regionId))
                .map(state -> String.format("%n  that peer now: %s", state))
                .orElse(String.format("%n  store %d is not running", lastTarget.getStoreId()));
    }

    private final class RequestAttempts {
        private final byte[] key;
        private final List<Request> requests;
        private final Duration timeout;
        private final Consumer<CommandResult> then;
        private final long start = sim.now();
        private int tries;
        private String lastOutcome = "no try finished";
        private long lastRegionId;

        RequestAttempts(byte[] key, List<Request> requests, Duration timeout, Consumer<CommandResult> then) {
            this.key = key;
            this.requests = requests;
            this.timeout = timeout;
            this.then = then;
        }

        void next() {
            if (tries >= 10 && sim.now() - start >= timeout.toMillis()) {
                throw new AssertionError(String.format(java.util.Locale.ROOT,
                        "request timeout: %s for key %s (region %d) did not succeed in %d tries over %.3fs of "
                                + "virtual time; last sent to peer %s on store %s; last try: %s", describe(requests),
                        KeyText.of(key), lastRegionId, tries, (sim.now() - start) / 1000.0,
                        lastTarget == null ? "-" : lastTarget.getId(), lastTarget == null ? "-" : lastTarget.getStoreId(),
                        lastOutcome) + targetState(lastRegionId));
            }
            tries++;
            getRegion(key, region -> {
                lastRegionId = region.getId();
                RaftCmdRequest request = Requests.newRequest(region.getId(), region.getRegionEpoch(), requests);
                callCommandOnLeader(request, timeout, result -> {
                    if (result.isEmpty() || result.get().hasError()) {
                        lastOutcome = result.map(r -> "error " + r.response().getHeader().getError())
                                .orElse("no answer from the leader within " + timeout.toMillis() + " ms");
                        result.ifPresent(CommandResult::discard);
                        log.debug("%s: %s on region %d failed, retry in %d ms", owner, describe(requests),
                                region.getId(), REQUEST_RETRY_MS);
                        sim.schedule(REQUEST_RETRY_MS, owner, "retry " + describe(requests), this::next);
                        return;
                    }
                    then.accept(result.get());
                });
            });
        }
    }

    // ---- scans -------------------------------------------------------------------------------------------

    /**
     * The values of the default CF in [{@code start}, {@code end}) across regions (empty end: to the end of
     * the key space): a Snap command per region, then its reader (TinyKV's Scan). Unlike TinyKV's loop,
     * a non-empty start with an empty end scans to the end instead of returning nothing.
     *
     * @throws IllegalArgumentException if {@code start} comes after a non-empty {@code end}
     */
    void scan(byte[] start, byte[] end, Consumer<List<byte[]>> then) {
        scanFrom(start, KeyRange.of(start, end), new ArrayList<>(), then);
    }

    /** Scans {@code range} from {@code key}, the start of the next region, on. */
    private void scanFrom(byte[] key, KeyRange range, List<byte[]> values, Consumer<List<byte[]>> then) {
        if (range.isPastEnd(key)) {
            then.accept(values);
            return;
        }
        int recorded = history.scanCall(owner, key, range.end().toByteArray());
        request(key, List.of(Requests.snap()), Duration.ofSeconds(5), result -> {
            Region region = result.single(CmdType.Snap).getSnap().getRegion();
            RegionReader reader = result.snapshot().orElseThrow(() -> new AssertionError(
                    "a Snap command on region " + region.getId() + " completed without a region reader"));
            List<KvOutput.Row> rows = new ArrayList<>();
            try (reader; CfIterator iterator = reader.iterCF(ColumnFamilies.DEFAULT)) {
                for (iterator.seek(key); iterator.valid(); iterator.next()) {
                    if (range.isPastEnd(iterator.key())) {
                        break;
                    }
                    values.add(iterator.value());
                    rows.add(new KvOutput.Row(KvText.of(iterator.key()), KvText.of(iterator.value())));
                }
            }
            byte[] next = region.getEndKey().toByteArray();
            boolean lastPart = next.length == 0 || range.isPastEnd(next);
            history.scanned(recorded, rows, lastPart ? range.end().toByteArray() : next, answeredBy);
            if (next.length == 0) {
                then.accept(values);
            } else {
                scanFrom(next, range, values, then);
            }
        });
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static String describe(List<Request> requests) {
        return requests.stream().map(r -> r.getCmdType().toString()).toList().toString();
    }
}
