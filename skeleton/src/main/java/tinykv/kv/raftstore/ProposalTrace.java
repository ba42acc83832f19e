package tinykv.kv.raftstore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.meta.MetaStates;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.runtime.Log;

/**
 * The debug log's account of one peer's commands (lab 2B), so that a wrong match of proposals to entries shows
 * at once: each command as it is proposed, with the index and term its entry took in the raft log and the
 * {@link Proposal} the handler recorded for it; each entry as it applies, with the Proposal waiting at its
 * index; each answer, with the command it answers. For example:
 *
 * <pre>
 * proposed Put "k1" at index 7 term 6
 * proposed Snap at index 8 term 6
 * applied index 7 term 6 Put "k1", but the Proposal at index 7 term 6 holds the callback of Snap (index 8 term 6)
 * answered Snap (index 8 term 6): ok Put, another command's answer
 * </pre>
 *
 * <p>The framework calls it around {@link PeerMsgHandler#proposeRaftCommand} and
 * {@link PeerMsgHandler#handleRaftReady}, so the lines are the same whatever those methods hold. It reads the
 * raft log index before and after a proposal, the Proposals, the applied index and the committed entries in
 * the raft engine; it changes nothing. Below the debug level each method only runs what it wraps, and no line
 * or copy is made.
 */
final class ProposalTrace {
    /** A command proposed here: what it asks, and the index and term raft gave its entry. */
    private record Proposed(RaftCmdRequest request, String command, long index, long term) {
        String at() {
            return command + " (index " + index + " term " + term + ")";
        }
    }

    /**
     * A Proposal waiting when a ready began: the command of its callback (null if not proposed here or answered
     * already), and whether that callback had been answered already.
     */
    private record Waiting(Proposal proposal, Proposed ofCallback, boolean answeredBefore) {}

    private record IndexTerm(long index, long term) {}

    private final Peer peer;
    private final Engines engines;
    /** Proposed commands not yet answered, by callback (identity: one callback, one command). */
    private final Map<Callback, Proposed> unanswered = new IdentityHashMap<>();
    /** While a ready is handled: its answers, logged after the entries it applied. Null otherwise. */
    private List<String> answersInReady;

    ProposalTrace(Peer peer, Engines engines) {
        this.peer = peer;
        this.engines = engines;
    }

    private boolean on() {
        return peer.log().isEnabled(Log.Level.DEBUG);
    }

    /** The framework refused {@code request} before the handler saw it (not the leader, wrong epoch, ...). */
    void refused(RaftCmdRequest request, RaftCmdResponse response) {
        if (on()) {
            peer.log().debug("refused %s: %s", CommandText.request(request), CommandText.response(response));
        }
    }

    /** Runs {@code propose}, the handler's proposing of {@code request}, and logs where its entry went. */
    void propose(RaftCmdRequest request, Callback callback, Runnable propose) {
        if (!on()) {
            propose.run();
            return;
        }
        long lastBefore = peer.nextProposalIndex() - 1;
        propose.run();
        String command = CommandText.request(request);
        if (callback.isDone()) {
            peer.log().debug("answered %s at once: %s", command, CommandText.response(callback.response()));
            return;
        }
        long last = peer.nextProposalIndex() - 1;
        if (last == lastBefore) {
            peer.log().debug("proposed %s, but the raft log did not grow (last index %d)", command, last);
            return;
        }
        Proposed proposed = new Proposed(request, command, last, peer.term());
        peer.log().debug("proposed %s at index %d term %d%s", command, last, proposed.term(),
                recordedAs(callback, proposed));
        unanswered.put(callback, proposed);
        callback.whenDone(done -> answered(proposed, done));
    }

    /** How the handler recorded the proposal, when that is not where its entry went. */
    private String recordedAs(Callback callback, Proposed proposed) {
        for (Iterator<Proposal> newestFirst = peer.proposals().descendingIterator(); newestFirst.hasNext(); ) {
            Proposal recorded = newestFirst.next();
            if (recorded.callback() == callback) {
                return recorded.index() == proposed.index() && recorded.term() == proposed.term() ? ""
                        : ", but its Proposal says index " + recorded.index() + " term " + recorded.term();
            }
        }
        return ", but no Proposal holds its callback";
    }

    private void answered(Proposed proposed, Callback done) {
        unanswered.remove(done);
        RaftCmdResponse response = done.response();
        String line = "answered " + proposed.at() + ": " + CommandText.response(response)
                + (CommandText.answers(response, proposed.request()) ? "" : ", another command's answer");
        if (answersInReady != null) {
            answersInReady.add(line);
        } else {
            peer.log().debug("%s", line);
        }
    }

    /** Runs {@code handle}, the handler's handling of a ready, and logs each entry it applied, then its answers. */
    void handleReady(Runnable handle) {
        if (!on()) {
            handle.run();
            return;
        }
        long appliedBefore = peer.peerStorage().appliedIndex();
        Map<Long, Waiting> waitingByIndex = new HashMap<>();
        for (Proposal proposal : peer.proposals()) {
            waitingByIndex.putIfAbsent(proposal.index(), new Waiting(proposal, unanswered.get(proposal.callback()),
                    proposal.callback().isDone()));
        }
        Map<IndexTerm, Proposed> proposedHere = new HashMap<>();
        unanswered.values().forEach(p -> proposedHere.put(new IndexTerm(p.index(), p.term()), p));
        answersInReady = new ArrayList<>();
        boolean handled = false;
        try {
            handle.run();
            handled = true;
        } finally {
            List<String> answers = answersInReady;
            answersInReady = null;
            if (handled && !peer.isStopped()) { // a destroyed peer's log is gone
                logApplied(appliedBefore, waitingByIndex, proposedHere);
            }
            answers.forEach(line -> peer.log().debug("%s", line));
        }
    }

    private void logApplied(long appliedBefore, Map<Long, Waiting> waitingByIndex,
            Map<IndexTerm, Proposed> proposedHere) {
        long appliedAfter = peer.peerStorage().appliedIndex();
        for (long index = appliedBefore + 1; index <= appliedAfter; index++) {
            Optional<Entry> entry = MetaStates.raftEntry(engines.raft(), peer.regionId(), index);
            if (entry.isEmpty()) {
                peer.log().debug("applied a snapshot up to index %d", appliedAfter);
                return;
            }
            Entry e = entry.get();
            peer.log().debug("applied index %d term %d %s%s", index, e.getTerm(), CommandText.entry(e),
                    match(e, waitingByIndex.get(index), proposedHere.get(new IndexTerm(index, e.getTerm()))));
        }
    }

    /** What waited for {@code entry}: its own Proposal, another command's, a stale one, or none. */
    private static String match(Entry entry, Waiting waiting, Proposed proposedAsThis) {
        if (waiting == null) {
            return proposedAsThis == null ? "" : ", proposed here, but no Proposal waits at its index";
        }
        Proposal proposal = waiting.proposal();
        String recorded = "the Proposal at index " + proposal.index() + " term " + proposal.term();
        if (proposal.term() != entry.getTerm()) {
            return ", not " + recorded + ": that one was overwritten (answer it StaleCommand)";
        }
        Proposed ofCallback = waiting.ofCallback();
        if (ofCallback == null) { // a callback not proposed through this peer, or one answered already
            return ", for " + recorded + (waiting.answeredBefore() ? ", whose callback was answered before" : "");
        }
        if (ofCallback.index() == entry.getIndex() && ofCallback.term() == entry.getTerm()) {
            return ", answers its Proposal";
        }
        return ", but " + recorded + " holds the callback of " + ofCallback.at();
    }
}
