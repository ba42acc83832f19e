package tinykv.kv.raftstore;

import com.google.protobuf.ByteString;
import java.util.List;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;
import tinykv.proto.schedulerpb.StoreStats;

/** Reports and requests on their way to the scheduler, handled by the scheduler worker. */
public sealed interface SchedulerTask {

    /** A leader's report of its region: members, leader, peers still catching up, and about how big it is. */
    record RegionHeartbeat(Region region, Peer leader, List<Peer> pendingPeers, long approximateSize)
            implements SchedulerTask {
        public RegionHeartbeat {
            pendingPeers = List.copyOf(pendingPeers);
        }
    }

    /** The store's report of itself. */
    record StoreHeartbeat(StoreStats stats) implements SchedulerTask {}

    /** Ask for the ids of a new region to split {@code region} at {@code splitKey}, then propose the split (lab 3B). */
    record AskSplit(Region region, ByteString splitKey, Peer leader) implements SchedulerTask {}
}
