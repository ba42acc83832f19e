/**
 * Reading a region's data the way a client sees it, through a snapshot
 * ({@link tinykv.kv.storage.RegionReader}; TinyKV's {@code kv/storage/raft_storage}). It sits above both
 * the engines and the key formats, so that neither of those depends on the other's package.
 */
package tinykv.kv.storage;
