package tinykv.raft;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Message;

/**
 * Runs a {@link ScheduledNetwork} through a random schedule drawn from a seeded generator, then heals
 * the network and checks that the group recovers:
 *
 * <ol>
 *   <li><b>chaos</b>: each step delivers a message chosen at random among all those in flight (so
 *       messages are delayed and reordered), duplicates or drops one, ticks a random node, or has a
 *       client propose the next entry to the node it believes is leader;
 *   <li><b>heal</b>: rounds in which every message in flight is delivered, oldest first, and then every
 *       node ticks once. Within {@link Options#healRounds()} rounds there must be one leader that every
 *       node follows, and every proposal must be committed on every node; the client proposes again,
 *       to the new leader, each entry that leader's log lacks (a real client retries too).
 * </ol>
 *
 * The invariants are checked after every step of both phases.
 */
public final class RandomSchedule {

    /**
     * The shape of a random schedule: how many chaos steps, and the relative weights of each kind of step.
     *
     * @param steps      chaos steps
     * @param deliver    weight of delivering a random message in flight
     * @param tick       weight of ticking a random node once
     * @param duplicate  weight of duplicating a random message in flight (while fewer than {@code maxInFlight})
     * @param drop       weight of dropping a random message in flight
     * @param propose    weight of proposing the next of {@code proposals}
     * @param maxInFlight no duplicate while this many messages are in flight
     * @param proposals  the entries the client proposes, in order
     * @param healRounds the rounds of healing within which the group must recover
     */
    public record Options(int steps, int deliver, int tick, int duplicate, int drop, int propose, int maxInFlight,
            List<String> proposals, int healRounds) {
        public Options {
            ScheduleSearch.requireAtLeast(0, steps, "steps");
            ScheduleSearch.requireAtLeast(0, deliver, "deliver");
            ScheduleSearch.requireAtLeast(0, tick, "tick");
            ScheduleSearch.requireAtLeast(0, duplicate, "duplicate");
            ScheduleSearch.requireAtLeast(0, drop, "drop");
            ScheduleSearch.requireAtLeast(0, propose, "propose");
            ScheduleSearch.requireAtLeast(1, healRounds, "healRounds");
            proposals = List.copyOf(proposals);
            if (deliver + tick + duplicate + drop + propose <= 0) {
                throw new IllegalArgumentException("the step weights must not all be 0");
            }
        }
    }

    /**
     * What a run went through: the kit's test of the harness checks that the chaos really churns.
     *
     * @param highestTerm   the highest term any node reached
     * @param leaderTerms   how many terms had a leader
     * @param mostCommitted the highest commit index on any node at the end
     * @param healedIn      the heal rounds it took to recover
     */
    public record Report(long highestTerm, int leaderTerms, long mostCommitted, int healedIn) {
        public String summary() {
            return "terms up to " + highestTerm + ", leaders in " + leaderTerms + " terms, commit index "
                    + mostCommitted + ", recovered in " + healedIn + " heal rounds";
        }
    }

    /** Deliveries one heal round may take before the network counts as stuck talking. */
    private static final int ROUND_DELIVERIES = 10_000;

    private final ScheduledNetwork network;
    private final Options options;
    private final RandomGenerator random;
    private int proposed;

    private RandomSchedule(ScheduleSpec spec, Options options, RandomGenerator random) {
        this.network = spec.start();
        this.options = requireNonNull(options, "options");
        this.random = requireNonNull(random, "random");
    }

    /**
     * Runs one random schedule, chaos then heal.
     *
     * @throws ScheduleFailure if an invariant breaks, a node throws, or the group does not recover
     */
    public static Report run(ScheduleSpec spec, Options options, RandomGenerator random) {
        RandomSchedule run = new RandomSchedule(spec, options, random);
        run.chaos();
        int rounds = run.heal();
        return run.report(rounds);
    }

    private enum Kind { DELIVER, TICK, DUPLICATE, DROP, PROPOSE }

    private void chaos() {
        for (int i = 0; i < options.steps(); i++) {
            int nodes = network.nodes().size();
            switch (nextKind()) {
                case DELIVER -> network.apply(new Step.Deliver(anyInFlight()));
                case DUPLICATE -> network.apply(new Step.Duplicate(anyInFlight()));
                case DROP -> network.apply(new Step.Drop(anyInFlight()));
                case TICK -> network.apply(new Step.Tick(1 + random.nextInt(nodes), 1));
                case PROPOSE -> {
                    // The client proposes to the leader it knows of, or to any node when there is none.
                    long to = network.leader().map(leader -> leader.id).orElse(1L + random.nextInt(nodes));
                    network.apply(new Step.Propose(to, options.proposals().get(proposed++)));
                }
            }
        }
    }

    /** Draws the kind of the next step by weight; a kind that cannot be taken now becomes a tick or a delivery. */
    private Kind nextKind() {
        int pick = random.nextInt(
                options.deliver() + options.tick() + options.duplicate() + options.drop() + options.propose());
        Kind kind;
        if ((pick -= options.deliver()) < 0) {
            kind = Kind.DELIVER;
        } else if ((pick -= options.tick()) < 0) {
            kind = Kind.TICK;
        } else if ((pick -= options.duplicate()) < 0) {
            kind = network.inFlight().size() < options.maxInFlight() ? Kind.DUPLICATE : Kind.DELIVER;
        } else if ((pick -= options.drop()) < 0) {
            kind = Kind.DROP;
        } else {
            kind = proposed < options.proposals().size() ? Kind.PROPOSE : Kind.TICK;
        }
        boolean needsMessage = kind == Kind.DELIVER || kind == Kind.DUPLICATE || kind == Kind.DROP;
        return needsMessage && network.inFlight().isEmpty() ? Kind.TICK : kind;
    }

    private Message anyInFlight() {
        List<Message> inFlight = network.inFlight();
        return inFlight.get(random.nextInt(inFlight.size()));
    }

    /** Heals the network; returns the rounds it took, or fails saying what never happened. */
    private int heal() {
        for (int round = 1; round <= options.healRounds(); round++) {
            network.deliverAll(ROUND_DELIVERIES);
            Optional<Raft> leader = stableLeader();
            if (leader.isPresent()) {
                List<String> missing = notCommittedEverywhere();
                if (missing.isEmpty()) {
                    return round;
                }
                // The client retries what the current leader's log lacks; the rest is on its way.
                List<String> inLog = dataOf(leader.get().raftLog.entries);
                for (String data : missing) {
                    if (!inLog.contains(data)) {
                        network.apply(new Step.Propose(leader.get().id, data));
                    }
                }
                network.deliverAll(ROUND_DELIVERIES);
            }
            for (Raft node : network.nodes()) {
                network.apply(new Step.Tick(node.id, 1));
            }
        }
        String what = stableLeader().isEmpty()
                ? "no leader that every node follows after " + options.healRounds() + " heal rounds"
                : "proposals " + notCommittedEverywhere() + " not committed on every node after " + options.healRounds()
                        + " heal rounds";
        throw network.livenessFailure(what + " (each round delivers every message in flight, oldest first, then"
                + " ticks every node once). Nodes at the end: " + roles());
    }

    /** The leader of the highest term, if every node is in that term and follows it. */
    private Optional<Raft> stableLeader() {
        Optional<Raft> leader = network.leader();
        if (leader.isEmpty()) {
            return leader;
        }
        Raft l = leader.get();
        boolean followed = network.nodes().stream().allMatch(n -> n.term == l.term && n.lead == l.id);
        return followed ? leader : Optional.empty();
    }

    /** The proposals made so far that some node has not committed. */
    private List<String> notCommittedEverywhere() {
        List<String> missing = new ArrayList<>();
        for (String data : options.proposals().subList(0, proposed)) {
            boolean everywhere = network.nodes().stream().allMatch(n -> dataOf(committedEntries(n)).contains(data));
            if (!everywhere) {
                missing.add(data);
            }
        }
        return missing;
    }

    private static List<Entry> committedEntries(Raft node) {
        return node.raftLog.entries.stream().filter(e -> e.getIndex() <= node.raftLog.committed).toList();
    }

    private static List<String> dataOf(List<Entry> entries) {
        return entries.stream().map(e -> e.getData().toStringUtf8()).toList();
    }

    private String roles() {
        StringBuilder out = new StringBuilder();
        for (Raft n : network.nodes()) {
            out.append("node ").append(n.id).append(' ').append(n.state).append(" term ").append(n.term)
                    .append(" lead ").append(n.lead).append(" committed ").append(n.raftLog.committed).append("; ");
        }
        return out.toString();
    }

    private Report report(int rounds) {
        long highest = network.nodes().stream().mapToLong(n -> n.term).max().orElse(0);
        long committed = network.nodes().stream().mapToLong(n -> n.raftLog.committed).max().orElse(0);
        return new Report(highest, network.leaderTerms(), committed, rounds);
    }
}
