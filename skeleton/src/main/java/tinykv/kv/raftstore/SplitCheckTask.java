package tinykv.kv.raftstore;

import tinykv.proto.metapb.Region;

/** Measure {@code region} and, if it is too large, find where to split it (lab 3B). */
record SplitCheckTask(Region region) {}
