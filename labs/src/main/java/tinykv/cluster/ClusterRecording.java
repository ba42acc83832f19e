package tinykv.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tinykv.history.CheckResult;
import tinykv.history.ClusterTimeline;
import tinykv.history.HistoryRecorder;
import tinykv.history.HistoryReport;
import tinykv.history.KvInput;
import tinykv.history.KvOutput;
import tinykv.history.LinearizabilityChecker;
import tinykv.history.RunRecord;
import tinykv.history.Recordings;
import tinykv.kv.raftstore.PeerStatus;
import tinykv.kv.raftstore.RaftStore;
import tinykv.sim.Simulator;

/**
 * Records a cluster run for its history check and its timeline: the clients' operations (through
 * {@link ClientHistory}), and what changed in the stores (roles and terms per region, stops and restarts) as
 * the {@link StoreWatch} reports it after each event. When the cluster closes, the history is checked for linearizability and the run is handed to the failure report.
 */
final class ClusterRecording {
    private final Simulator sim;
    private final RunRecord run;
    private final ClientHistory clients;
    private final Map<Long, Set<Long>> regionsOf = new HashMap<>();
    private boolean finished;

    ClusterRecording(Simulator sim) {
        this.sim = sim;
        HistoryRecorder recorder = new HistoryRecorder(sim::now);
        this.run = new RunRecord(sim.seed(), recorder, new ClusterTimeline(sim::now),
                LinearizabilityChecker.DEFAULT_STEP_BUDGET);
        this.clients = new ClientHistory(recorder);
    }

    ClientHistory clients() {
        return clients;
    }

    ClusterTimeline timeline() {
        return run.timeline();
    }

    /** Follows in the timeline each store the watch reports as changed: stops, restarts, roles and terms. */
    void watch(StoreWatch stores) {
        stores.listen(this::changed);
    }

    private void changed(long storeId, Optional<RaftStore> store, boolean started) {
        if (store.isEmpty()) {
            regionsOf.remove(storeId);
            run.timeline().storeDown(storeId);
            return;
        }
        if (started) {
            run.timeline().storeUp(storeId);
        }
        Set<Long> now = new HashSet<>();
        for (PeerStatus peer : store.get().peerStatuses()) {
            now.add(peer.regionId());
            run.timeline().role(storeId, peer.regionId(), peer.leader(), peer.term());
        }
        Set<Long> gone = regionsOf.getOrDefault(storeId, Set.of());
        for (long regionId : gone) {
            if (!now.contains(regionId)) {
                run.timeline().regionGone(storeId, regionId);
            }
        }
        regionsOf.put(storeId, now);
    }

    /**
     * Checks the history so far once and hands the run to the failure report; throws if it is not
     * linearizable or the check could not decide. Later calls do nothing.
     */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        Recordings.add(run);
        CheckResult<KvInput, KvOutput> result = run.check(sim.now());
        System.out.println(String.format(java.util.Locale.ROOT,
                "[history] %d operations in %d parts (largest %d), %s after %d steps, checked in %.1f ms",
                result.operations(), result.parts(), result.largestPart(),
                result.verdict().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), result.steps(),
                run.checkNanos() / 1e6));
        if (!result.isLinearizable()) {
            throw new AssertionError(HistoryReport.describe(result, run.history()) + "\n  (seed " + sim.seed()
                    + ", virtual time " + sim.now() / 1000.0 + "s; the timeline below shows it)");
        }
    }
}
