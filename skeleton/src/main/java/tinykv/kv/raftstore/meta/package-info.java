/**
 * The keys a store writes its state under and the states themselves, with TinyKV's byte formats
 * ({@code kv/raftstore/meta}): {@link tinykv.kv.raftstore.meta.Keys} and
 * {@link tinykv.kv.raftstore.meta.MetaStates}.
 */
package tinykv.kv.raftstore.meta;
