package tinykv.scheduler.client;

import java.util.Optional;
import tinykv.proto.metapb.Peer;
import tinykv.proto.metapb.Region;

/** A region as the scheduler knows it, and its leader if one has reported. */
public record RegionAndLeader(Region region, Optional<Peer> leader) {}
