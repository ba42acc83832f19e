package tinykv.kv.raftstore;

/**
 * A command proposed by this peer while leader, waiting to be applied: when the entry at {@code index}
 * applies with {@code term}, the callback gets the result; if another entry takes that index, the
 * command is stale.
 */
public record Proposal(long index, long term, Callback callback) {}
