package tinykv.kv.raftstore;

import tinykv.kv.engine.Engines;
import tinykv.kv.raftstore.snap.RegionWorker;
import tinykv.runtime.EventLoop;
import tinykv.runtime.Mailbox;
import tinykv.scheduler.client.SchedulerClient;

/**
 * What every handler of one store shares (TinyKV's {@code GlobalContext}): the store's identity, settings,
 * engines, the way out to other stores, and the mailboxes of its workers.
 *
 * @param storeId        this store
 * @param config         the raftstore settings
 * @param engines        this store's kv and raft engines
 * @param loop           the event loop everything here runs on
 * @param transport      raft messages to other stores
 * @param router         mail to this store's peers and store worker
 * @param storeMeta      the regions this store holds
 * @param schedulerTasks heartbeats on their way to the scheduler
 * @param scheduler      the scheduler client
 * @param raftLogGcTasks compacted raft log on its way to deletion (lab 2C)
 * @param regionWorker   generates and applies this store's snapshots (lab 2C)
 * @param splitCheckTasks regions on their way to the split checker (lab 3B)
 */
public record StoreContext(
        long storeId,
        StoreConfig config,
        Engines engines,
        EventLoop loop,
        Transport transport,
        Router router,
        StoreMeta storeMeta,
        Mailbox<SchedulerTask> schedulerTasks,
        SchedulerClient scheduler,
        Mailbox<RaftLogGcTask> raftLogGcTasks,
        RegionWorker regionWorker,
        Mailbox<SplitCheckTask> splitCheckTasks) {}
