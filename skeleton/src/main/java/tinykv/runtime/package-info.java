/**
 * The runtime seam: what the raftstore runs on instead of threads, sleeps and clocks.
 *
 * <p>TinyKV's raftstore is a set of goroutines talking through channels (raft worker, store worker,
 * ticker, GC and region workers). Here each of them is a {@link tinykv.runtime.Mailbox} on an
 * {@link tinykv.runtime.EventLoop}, and time is the loop's virtual clock. Under test the loop is a
 * single-threaded discrete-event simulator, so a cluster test is a pure function of its seed: a failing
 * seed replays exactly, and five virtual seconds of client load take a fraction of a wall second.
 */
package tinykv.runtime;
