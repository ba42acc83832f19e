package tinykv.kv.raftstore;

import tinykv.proto.metapb.Region;

/** What applying a snapshot changed (lab 2C): the region as the peer had it before, and as it has it now. */
public record ApplySnapResult(Region previousRegion, Region region) {}
