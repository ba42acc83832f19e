package tinykv.raft;

import static java.util.Objects.requireNonNull;

/** What stands at one position of a {@link RaftNetwork}. */
public sealed interface NetworkPeer {

    /** A new node the network builds itself, with its own {@link MemoryStorage} and the network's config. */
    static NetworkPeer fresh() {
        return Fresh.INSTANCE;
    }

    /** A node that swallows every message and never answers (a crashed or cut-off machine). */
    static NetworkPeer blackHole() {
        return BlackHole.INSTANCE;
    }

    /** A node the test built; its id must be its position in the network (1, 2, ...). */
    static NetworkPeer of(Raft raft) {
        return new Node(requireNonNull(raft, "raft"));
    }

    enum Fresh implements NetworkPeer {
        INSTANCE
    }

    enum BlackHole implements NetworkPeer {
        INSTANCE
    }

    record Node(Raft raft) implements NetworkPeer {}
}
