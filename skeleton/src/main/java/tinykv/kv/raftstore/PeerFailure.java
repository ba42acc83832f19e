package tinykv.kv.raftstore;

/**
 * An exception escaped a peer's handler. It is rethrown with the peer's place, so the failure report names
 * the store, region and peer; the original exception is the cause. Never caught inside the raftstore.
 */
public final class PeerFailure extends RuntimeException {
    public PeerFailure(String where, String doing, RuntimeException cause) {
        super(where + " failed while " + doing + ": " + cause, cause);
    }
}
