package tinykv.kv.raftstore;

import tinykv.proto.metapb.RegionEpoch;
import tinykv.proto.raft_serverpb.RaftMessage;

/** Answering a message from a peer that has been removed from its region (TinyKV's {@code handleStaleMsg}). */
final class StaleMessages {
    private StaleMessages() {}

    /**
     * A removed peer that keeps asking for votes would disturb the region forever: tell it to destroy
     * itself. Other stale messages are just dropped.
     */
    static void answer(Transport transport, RaftMessage stale, RegionEpoch currentEpoch, boolean needGc) {
        if (!needGc) {
            return;
        }
        transport.send(RaftMessage.newBuilder()
                .setRegionId(stale.getRegionId())
                .setFromPeer(stale.getToPeer())
                .setToPeer(stale.getFromPeer())
                .setRegionEpoch(currentEpoch)
                .setIsTombstone(true)
                .build());
    }
}
