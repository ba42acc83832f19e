package tinykv.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.Callback;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_serverpb.RaftApplyState;
import tinykv.sim.Simulator;

/**
 * Every command the cluster's clients hand to a store, until its callback is answered; two named checks on
 * them, and what each store had applied when it answered (for {@link RestartChecks#APPLIED_NOT_BACK}).
 *
 * <ul>
 *   <li>{@link #ANSWER_AFTER_WRITE}, where the answer happens: a successful answer finds the store's kv engine
 *       holding the apply state the peer has in memory, and the key of every put it reports.
 *   <li>{@link #ANSWERED}, at a quiet point ({@link #checkAllAnswered}): every command a store took and still
 *       runs (the same incarnation) has been answered; a proposal a new leader overwrote is answered as stale,
 *       not left to the client's timeout. A second answer is refused by {@link Callback} itself.
 * </ul>
 */
final class CallbackLedger {
    static final String ANSWER_AFTER_WRITE = "an answer comes after the writes it reports";
    static final String ANSWERED = "once the cluster is quiet, every command a running store took is answered";

    /** A command a store took, not yet answered. */
    private record Taken(long storeId, int incarnation, RaftCmdRequest request, long sinceMs) {}

    private final Simulator sim;
    private final StoreProcesses stores;
    /** In the order the commands were taken (a linked map over identity-compared callbacks: deterministic). */
    private final Map<Callback, Taken> unanswered = new LinkedHashMap<>();
    /** "store/region/peer" to the highest applied index a successful answer of that peer was given at. */
    private final Map<String, Long> answeredAt = new HashMap<>();

    CallbackLedger(Simulator sim, StoreProcesses stores) {
        this.sim = sim;
        this.stores = stores;
    }

    /** The store {@code storeId} (running as {@code raftStore}) takes {@code request}; answers go to {@code callback}. */
    void track(long storeId, RaftStore raftStore, RaftCmdRequest request, Callback callback) {
        unanswered.put(callback, new Taken(storeId, stores.incarnation(storeId), request, sim.now()));
        callback.whenDone(done -> answered(storeId, raftStore, request, done));
    }

    /** The highest applied index store {@code storeId} had answered a command of the region at, if any. */
    OptionalLong answeredAppliedIndex(long storeId, long regionId, long peerId) {
        Long index = answeredAt.get(storeId + "/" + regionId + "/" + peerId);
        return index == null ? OptionalLong.empty() : OptionalLong.of(index);
    }

    private void answered(long storeId, RaftStore raftStore, RaftCmdRequest request, Callback callback) {
        unanswered.remove(callback);
        if (callback.response().getHeader().hasError()) {
            return;
        }
        long regionId = request.getHeader().getRegionId();
        OptionalLong inMemory = raftStore.appliedIndex(regionId);
        if (inMemory.isEmpty()) {
            return;
        }
        Engines engines = stores.engines(storeId);
        long persisted = MetaStates.applyState(engines.kv(), regionId).map(RaftApplyState::getAppliedIndex).orElse(0L);
        if (persisted < inMemory.getAsLong()) {
            throw new AssertionError(ANSWER_AFTER_WRITE + ": store " + storeId + " answered " + describe(request)
                    + " of region " + regionId + " while its peer has applied index " + inMemory.getAsLong()
                    + " in memory but " + persisted + " in its kv engine: write the data and the apply state, "
                    + "then answer " + when());
        }
        for (Request r : request.getRequestsList()) {
            if (r.getCmdType() == CmdType.Put && readData(engines, r.getPut().getCf(), r.getPut().getKey()
                    .toByteArray()).isEmpty()) {
                throw new AssertionError(ANSWER_AFTER_WRITE + ": store " + storeId + " answered a put of "
                        + KeyText.of(r.getPut().getKey().toByteArray()) + " in region " + regionId + ", but its kv "
                        + "engine does not hold the key: write the batch, then answer " + when());
            }
        }
        answeredAt.merge(storeId + "/" + regionId + "/" + request.getHeader().getPeer().getId(), inMemory.getAsLong(),
                Math::max);
    }

    /** Fails, naming up to five of them, if a command a store took in its current incarnation is unanswered. */
    void checkAllAnswered() {
        // A store that stopped since it took a command lost the callback with its memory: forget those.
        unanswered.values().removeIf(taken -> stores.running(taken.storeId()).isEmpty()
                || stores.incarnation(taken.storeId()) != taken.incarnation());
        List<String> missing = new ArrayList<>();
        for (Taken taken : unanswered.values()) {
            missing.add(describe(taken.request()) + " of region " + taken.request().getHeader().getRegionId()
                    + " taken by store " + taken.storeId()
                    + " at " + taken.sinceMs() / 1000.0 + "s");
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(ANSWERED + ": " + missing.size() + " never answered, for example "
                    + missing.subList(0, Math.min(5, missing.size())) + " (a proposal whose entry another leader "
                    + "overwrote must be answered with a stale-command error) " + when());
        }
    }

    private static Optional<byte[]> readData(Engines engines, String cf, byte[] key) {
        return StoreStorage.readData(engines, cf.isEmpty() ? ColumnFamilies.DEFAULT : cf, key);
    }

    private static String describe(RaftCmdRequest request) {
        if (request.hasAdminRequest()) {
            return "admin " + request.getAdminRequest().getCmdType();
        }
        return request.getRequestsList().stream().map(r -> r.getCmdType().toString()).toList().toString();
    }

    private String when() {
        return "(virtual time " + sim.now() / 1000.0 + "s, seed " + sim.seed() + ")";
    }
}
