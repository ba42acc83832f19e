package tinykv.raft;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The parameters a {@link Raft} node starts from. Build one with {@link #builder()}; {@link Builder#build()}
 * checks every rule and throws {@link IllegalArgumentException} naming the field that breaks it.
 *
 * @param id            this node's id; never {@link Raft#NONE} (0)
 * @param peers         every member of a brand-new group, this node included. Leave it empty when the
 *                      membership is in storage (a restart, or a raftstore peer): it is read from
 *                      {@link Storage#initialState()} then
 * @param electionTick  ticks a follower waits without hearing from a leader before it campaigns; the
 *                      actual timeout is drawn from {@code [electionTick, 2 * electionTick)} (Raft §5.2)
 * @param heartbeatTick ticks between a leader's heartbeats; must be below {@code electionTick}
 * @param storage       where the persisted log, hard state and snapshot are read from
 * @param applied       the last index the application applied before a restart, so that it is not
 *                      handed those entries again; 0 for a new node
 * @param random        the source of the randomized election timeouts. Handed in (seeded by the test or
 *                      the runtime) so that every run can be replayed: Raft never makes its own
 */
public record Config(
        long id,
        List<Long> peers,
        int electionTick,
        int heartbeatTick,
        Storage storage,
        long applied,
        RandomGenerator random) {

    public Config {
        require(id != Raft.NONE, "id", "must not be 0 (Raft.NONE means 'no node')");
        require(peers != null, "peers", "must not be null (leave it empty to read the membership from storage)");
        require(!peers.contains(Raft.NONE), "peers", "must not contain 0 (Raft.NONE)");
        require(peers.stream().distinct().count() == peers.size(), "peers", "must not repeat an id: " + peers);
        require(heartbeatTick > 0, "heartbeatTick", "must be greater than 0, was " + heartbeatTick);
        require(electionTick > heartbeatTick, "electionTick",
                "must be greater than heartbeatTick (" + heartbeatTick + "), was " + electionTick);
        require(storage != null, "storage", "must not be null");
        require(applied >= 0, "applied", "must not be negative, was " + applied);
        require(random != null, "random", "must not be null: hand in a seeded source, e.g. new SplittableRandom(seed)");
        peers = List.copyOf(peers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder whose fields start empty; {@link #build()} validates. */
    public static final class Builder {
        private long id;
        private List<Long> peers = List.of();
        private int electionTick;
        private int heartbeatTick;
        private Storage storage;
        private long applied;
        private RandomGenerator random;

        private Builder() {}

        public Builder id(long id) {
            this.id = id;
            return this;
        }

        public Builder peers(List<Long> peers) {
            this.peers = peers;
            return this;
        }

        public Builder peers(long... peers) {
            this.peers = java.util.Arrays.stream(peers).boxed().toList();
            return this;
        }

        public Builder electionTick(int electionTick) {
            this.electionTick = electionTick;
            return this;
        }

        public Builder heartbeatTick(int heartbeatTick) {
            this.heartbeatTick = heartbeatTick;
            return this;
        }

        public Builder storage(Storage storage) {
            this.storage = storage;
            return this;
        }

        public Builder applied(long applied) {
            this.applied = applied;
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Config build() {
            return new Config(id, peers, electionTick, heartbeatTick, storage, applied, random);
        }
    }

    private static void require(boolean rule, String field, String what) {
        if (!rule) {
            throw new IllegalArgumentException("invalid raft Config: " + field + " " + what);
        }
    }
}
