package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.storage.RegionReader;
import tinykv.kv.engine.WriteBatch;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.EntryType;
import tinykv.proto.raft_cmdpb.AdminCmdType;
import tinykv.proto.raft_cmdpb.AdminRequest;
import tinykv.proto.raft_cmdpb.AdminResponse;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.CompactLogRequest;
import tinykv.proto.raft_cmdpb.CompactLogResponse;
import tinykv.proto.raft_cmdpb.DeleteResponse;
import tinykv.proto.raft_cmdpb.GetResponse;
import tinykv.proto.raft_cmdpb.PutResponse;
import tinykv.proto.raft_cmdpb.RaftCmdRequest;
import tinykv.proto.raft_cmdpb.RaftCmdResponse;
import tinykv.proto.raft_cmdpb.Request;
import tinykv.proto.raft_cmdpb.Response;
import tinykv.proto.raft_cmdpb.SnapResponse;
import tinykv.proto.raft_serverpb.RaftTruncatedState;
import tinykv.raft.RaftException;
import tinykv.raft.Ready;

/**
 * What a peer does with client commands and with its raft group's output (lab 2B): propose commands
 * through the raft log, then persist, send and apply each {@link tinykv.raft.Ready} (lab 2C: with
 * snapshots and log compaction).
 *
 * <p>The raft worker makes one handler per peer and batch of mail: {@link #proposeRaftCommand} for each
 * command that passed the framework's checks (store, leader, peer, term, epoch), then
 * {@link #handleRaftReady} once for every peer that received mail.
 */
public class PeerMsgHandler {
    protected final Peer peer;
    protected final StoreContext ctx;

    public PeerMsgHandler(Peer peer, StoreContext ctx) {
        this.peer = peer;
        this.ctx = ctx;
    }

    /**
     * Lab 2B. Proposes {@code request} to the raft group and remembers {@code callback} as a
     * {@link Proposal} at the index the entry will take, to answer it once the entry applies. Refuse keys
     * outside the region ({@link RegionChecks#checkKeyInRegion}) at once, through the callback.
     */
    public void proposeRaftCommand(RaftCmdRequest request, Callback callback) {
        Optional<RegionError> refused = checkRequests(request);
        if (refused.isPresent()) {
            callback.done(CmdResponses.error(refused.get()));
            return;
        }
        long index = peer.nextProposalIndex();
        try {
            peer.raftGroup().propose(request.toByteArray());
        } catch (RaftException.ProposalDropped e) {
            callback.done(CmdResponses.error(new RegionError.OtherError("proposal dropped: " + e.getMessage())));
            return;
        }
        peer.proposals().addLast(new Proposal(index, peer.term(), callback));
    }

    /**
     * Lab 2B. If the raft group has a Ready: persist it ({@link PeerStorage#saveReadyState}), send its
     * messages ({@link Peer#send}), apply its committed entries to the kv engine (with the new apply state
     * in the same write batch), answer the proposals they complete, and advance the raft group.
     *
     * <p>Lab 2C. A Ready may carry a snapshot: once it is saved, record the region it brought in the store's
     * meta. A committed {@code CompactLog} admin command moves the truncated state forward (persisted with
     * the apply state), then hands the compacted entries to the raft-log GC ({@link Peer#scheduleRaftLogGc}).
     */
    public void handleRaftReady() {
        if (peer.isStopped() || !peer.raftGroup().hasReady()) {
            return;
        }
        Ready ready = peer.raftGroup().ready();
        peer.peerStorage().saveReadyState(ready).ifPresent(applied -> ctx.storeMeta().put(applied.region()));
        peer.send(ctx.transport(), ready.messages());
        if (!ready.committedEntries().isEmpty()) {
            applyCommitted(ready.committedEntries());
        }
        peer.raftGroup().advance(ready);
    }

    // ---- applying ----

    /** An answer to give once the batch it depends on is written. */
    private record Answer(Callback callback, RaftCmdResponse response, RegionReader snapshot) {
        void give() {
            if (snapshot == null) {
                callback.done(response);
            } else {
                callback.done(response, snapshot);
            }
        }
    }

    private void applyCommitted(List<Entry> entries) {
        WriteBatch batch = new WriteBatch();
        Deque<Answer> answers = new ArrayDeque<>();
        long truncatedBefore = peer.peerStorage().truncatedIndex();
        for (Entry entry : entries) {
            Optional<Callback> callback = takeProposal(entry);
            if (entry.getEntryType() == EntryType.EntryNormal && !entry.getData().isEmpty()) {
                RaftCmdRequest request = parse(entry.getData());
                applyRequest(request, batch, callback.orElse(null), answers);
            } else {
                // A new leader's empty entry; or a membership change, which lab 3B applies.
                callback.ifPresent(cb -> answers.add(new Answer(cb, CmdResponses.ok().build(), null)));
            }
            peer.peerStorage().setApplyState(
                    peer.peerStorage().applyState().toBuilder().setAppliedIndex(entry.getIndex()).build());
        }
        flush(batch);
        long truncated = peer.peerStorage().truncatedIndex();
        if (truncated > truncatedBefore) {
            peer.scheduleRaftLogGc(ctx, truncated); // the truncated state that covers them is written now
        }
        answers.forEach(Answer::give);
    }

    /**
     * The callback waiting for {@code entry}, if this peer proposed it. Proposals before it, or at its index
     * in another term, were overwritten by another leader's entries: they are stale.
     */
    private Optional<Callback> takeProposal(Entry entry) {
        Deque<Proposal> proposals = peer.proposals();
        while (!proposals.isEmpty() && proposals.peekFirst().index() <= entry.getIndex()) {
            Proposal proposal = proposals.pollFirst();
            if (proposal.index() == entry.getIndex() && proposal.term() == entry.getTerm()) {
                return Optional.of(proposal.callback());
            }
            proposal.callback().done(CmdResponses.staleCommand(peer.term()));
        }
        return Optional.empty();
    }

    private void applyRequest(RaftCmdRequest request, WriteBatch batch, Callback callback, Deque<Answer> answers) {
        Optional<RegionError> refused = RegionChecks.checkRegionEpoch(request, peer.region())
                .or(() -> checkRequests(request));
        if (refused.isPresent()) {
            if (callback != null) {
                answers.add(new Answer(callback, CmdResponses.error(refused.get()), null));
            }
            return;
        }
        if (request.hasAdminRequest()) {
            RaftCmdResponse response = applyAdmin(request.getAdminRequest());
            if (callback != null) {
                answers.add(new Answer(callback, response, null));
            }
            return;
        }
        RaftCmdResponse.Builder response = CmdResponses.ok();
        RegionReader snapshot = null;
        for (Request r : request.getRequestsList()) {
            switch (r.getCmdType()) {
                case Get -> {
                    flush(batch); // the read must see every write before it
                    byte[] value = ctx.engines().kv().get(cf(r.getGet().getCf()),
                            Keys.dataKey(r.getGet().getKey().toByteArray())).orElse(new byte[0]);
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Get)
                            .setGet(GetResponse.newBuilder().setValue(ByteString.copyFrom(value))));
                }
                case Put -> {
                    batch.setCF(cf(r.getPut().getCf()), Keys.dataKey(r.getPut().getKey().toByteArray()),
                            r.getPut().getValue().toByteArray());
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Put)
                            .setPut(PutResponse.getDefaultInstance()));
                }
                case Delete -> {
                    batch.deleteCF(cf(r.getDelete().getCf()), Keys.dataKey(r.getDelete().getKey().toByteArray()));
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Delete)
                            .setDelete(DeleteResponse.getDefaultInstance()));
                }
                case Snap -> {
                    if (callback != null && snapshot == null) {
                        flush(batch);
                        snapshot = new RegionReader(ctx.engines().kv().snapshot(), peer.region());
                    }
                    response.addResponses(Response.newBuilder().setCmdType(CmdType.Snap)
                            .setSnap(SnapResponse.newBuilder().setRegion(peer.region())));
                }
                default -> throw new IllegalStateException("checkRequests let through " + r.getCmdType());
            }
        }
        if (callback != null) {
            answers.add(new Answer(callback, response.build(), snapshot));
        }
    }

    /** Applies an admin command that checkRequests let through: in lab 2C, only {@code CompactLog}. */
    private RaftCmdResponse applyAdmin(AdminRequest admin) {
        CompactLogRequest compact = admin.getCompactLog();
        PeerStorage storage = peer.peerStorage();
        if (compact.getCompactIndex() > storage.truncatedIndex()) {
            // Written with the apply state when the batch is flushed; the entries go after that.
            storage.setApplyState(storage.applyState().toBuilder().setTruncatedState(RaftTruncatedState.newBuilder()
                    .setIndex(compact.getCompactIndex()).setTerm(compact.getCompactTerm())).build());
        }
        return CmdResponses.ok().setAdminResponse(AdminResponse.newBuilder().setCmdType(AdminCmdType.CompactLog)
                .setCompactLog(CompactLogResponse.getDefaultInstance())).build();
    }

    /** Writes the batch so far, with the apply state it reaches, and starts a new one. */
    private void flush(WriteBatch batch) {
        batch.setMeta(Keys.applyStateKey(peer.regionId()), peer.peerStorage().applyState());
        ctx.engines().kv().write(batch);
        batch.clear();
    }

    // ---- checks ----

    /** Refuses admin commands of later labs and keys outside the region, before anything applies. */
    private Optional<RegionError> checkRequests(RaftCmdRequest request) {
        if (request.hasAdminRequest() && request.getAdminRequest().getCmdType() != AdminCmdType.CompactLog) {
            return Optional.of(new RegionError.OtherError(
                    "admin command " + request.getAdminRequest().getCmdType() + " is not handled before lab 3B"));
        }
        for (Request r : request.getRequestsList()) {
            Optional<ByteString> key = switch (r.getCmdType()) {
                case Get -> Optional.of(r.getGet().getKey());
                case Put -> Optional.of(r.getPut().getKey());
                case Delete -> Optional.of(r.getDelete().getKey());
                case Snap -> Optional.empty();
                default -> null;
            };
            if (key == null) {
                return Optional.of(new RegionError.OtherError("unknown command type " + r.getCmdType()));
            }
            if (key.isPresent()) {
                Optional<RegionError> outside = RegionChecks.checkKeyInRegion(key.get().toByteArray(), peer.region());
                if (outside.isPresent()) {
                    return outside;
                }
            }
        }
        return Optional.empty();
    }

    private static String cf(String requested) {
        return requested.isEmpty() ? ColumnFamilies.DEFAULT : requested;
    }

    private RaftCmdRequest parse(ByteString data) {
        try {
            return RaftCmdRequest.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(peer.tag() + ": a committed entry is not a RaftCmdRequest", e);
        }
    }
}
