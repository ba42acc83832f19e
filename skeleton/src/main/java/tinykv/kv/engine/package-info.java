/**
 * A store's storage engines over RocksDB (TinyKV's {@code engine_util}, where Badger plays this part).
 *
 * <p>{@link tinykv.kv.engine.Engines} opens a store's two {@link tinykv.kv.engine.Engine}s on an
 * {@link tinykv.kv.engine.EngineLocation}. Writes that must happen together go through one
 * {@link tinykv.kv.engine.WriteBatch}; reads go to the live engine or to an
 * {@link tinykv.kv.engine.EngineSnapshot}, both {@link tinykv.kv.engine.EngineReader}s. The key formats
 * live in {@link tinykv.kv.raftstore.meta.Keys}.
 *
 * <p>RocksDB is native code: a handle used after it is closed crashes the JVM. Everything here closes what
 * it opened, and refuses with an {@link java.lang.IllegalStateException} any use after close.
 */
package tinykv.kv.engine;
