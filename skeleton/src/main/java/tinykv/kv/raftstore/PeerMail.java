package tinykv.kv.raftstore;

/** A {@link PeerMsg} on its way through the raft worker's mailbox to the peer of {@code regionId}. */
record PeerMail(long regionId, PeerMsg message) {}
