/**
 * The Raft consensus module (labs 2A, 2C and 3A): a deterministic state machine that never reads a
 * clock, sleeps, sends or spawns. Time enters as {@link tinykv.raft.RawNode#tick()}, everything else
 * as a message through {@code step}; all output leaves as one {@link tinykv.raft.Ready} value.
 *
 * <p>The contract between a {@link tinykv.raft.RawNode} and its application, in order:
 *
 * <ol>
 *   <li>Feed inputs: {@code tick()} on every timer tick, {@code step(message)} for every message
 *       received, {@code propose(data)} for every command.
 *   <li>When {@code hasReady()}, take {@code ready()}.
 *   <li>Persist its hard state, entries and snapshot. Entries written at index i replace any stored
 *       entries from index i on.
 *   <li>Send its messages, only after step 3: a node must not promise what it could forget in a crash.
 *   <li>Apply its committed entries to the state machine, in order.
 *   <li>Call {@code advance(ready)} with the same Ready, so the node knows what was persisted and applied.
 * </ol>
 *
 * <p>Student classes: {@link tinykv.raft.Raft}, {@link tinykv.raft.RaftLog}, {@link tinykv.raft.RawNode}.
 * Everything else in this package is provided and complete.
 */
package tinykv.raft;
