package tinykv.kv.engine;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.InfoLogLevel;

/**
 * RocksDB options sized for a test cluster rather than a production store: a cluster test opens ten
 * engines and reopens them on every restart, and the data of a lab run is a few megabytes. Each call
 * returns a new native object that the caller must close.
 */
final class RocksOptions {
    private RocksOptions() {}

    private static final long WRITE_BUFFER_BYTES = 1L << 20;
    private static final long ALL_WRITE_BUFFERS_BYTES = 4L << 20;

    /**
     * @param env where the files live: RocksDB's in-memory Env, or null for the real file system
     */
    static DBOptions dbOptions(Env env) {
        DBOptions options = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                // Few background threads and no periodic work: the tests stay light on a 2-core machine.
                .setMaxBackgroundJobs(2)
                .setStatsDumpPeriodSec(0)
                .setStatsPersistPeriodSec(0)
                .setDbWriteBufferSize(ALL_WRITE_BUFFERS_BYTES)
                // RocksDB's own info log is of no use to a student; keep only fatal errors in it.
                .setInfoLogLevel(InfoLogLevel.FATAL_LEVEL)
                .setKeepLogFileNum(1);
        if (env != null) {
            options.setEnv(env);
        }
        return options;
    }

    static ColumnFamilyOptions columnFamilyOptions() {
        return new ColumnFamilyOptions()
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxWriteBufferNumber(2)
                // No block cache: lab data mostly sits in memtables, and a cache per engine times ten
                // engines would only hold memory.
                .setTableFormatConfig(new BlockBasedTableConfig().setNoBlockCache(true));
    }
}
