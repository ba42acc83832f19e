package tinykv.kv.raftstore;

import java.util.List;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.schedulerpb.StoreStats;

/** Reports on their way to the scheduler, handled by the scheduler worker. */
public sealed interface SchedulerTask {

    /** A leader's report of its region. */
    record RegionHeartbeat(Region region, Peer leader, List<Peer> pendingPeers) implements SchedulerTask {
        public RegionHeartbeat {
            pendingPeers = List.copyOf(pendingPeers);
        }
    }

    /** The store's report of itself. */
    record StoreHeartbeat(StoreStats stats) implements SchedulerTask {}
}
