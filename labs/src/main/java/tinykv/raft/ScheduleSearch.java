package tinykv.raft;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import tinykv.proto.eraftpb.Message;

/**
 * An exhaustive, breadth-first search over every schedule of a small Raft group, within bounds: from
 * each state it tries every step (deliver, duplicate or drop each distinct message in flight, fire each
 * node's timer, propose to a leader), checks the invariants in every state it reaches, and visits each
 * state once ({@link StateFingerprint}). Breadth first, the first broken state it finds is one of the
 * closest to the start, so the schedule it reports is as short as any that breaks the property.
 *
 * <p>Budgets are counts (states, steps, duplicates, drops, heartbeats, terms), never wall time, so the
 * result is the same on every machine. A state is rebuilt by replaying its schedule on new nodes: the
 * search needs nothing from a node beyond being a pure function of its inputs.
 */
public final class ScheduleSearch {

    /**
     * The bounds of a search.
     *
     * @param maxStates  stop after this many distinct states (the budget)
     * @param maxDepth   the longest schedule explored, in steps
     * @param duplicates how many duplicate steps one schedule may take
     * @param drops      how many drop steps one schedule may take
     * @param heartbeats how many times, in all, leaders' heartbeat timers may fire in one schedule
     * @param maxTerm    no node campaigns beyond this term (this bounds the number of elections)
     * @param proposals  the entries a client proposes, in order, each to whichever node is leader then
     */
    public record Bounds(int maxStates, int maxDepth, int duplicates, int drops, int heartbeats, long maxTerm,
            List<String> proposals) {
        public Bounds {
            requireAtLeast(1, maxStates, "maxStates");
            requireAtLeast(0, maxDepth, "maxDepth");
            requireAtLeast(0, duplicates, "duplicates");
            requireAtLeast(0, drops, "drops");
            requireAtLeast(0, heartbeats, "heartbeats");
            requireAtLeast(0, maxTerm, "maxTerm");
            proposals = List.copyOf(proposals);
        }
    }

    /**
     * What a search did.
     *
     * @param states        distinct states reached (the initial state included)
     * @param steps         steps tried from the states it expanded
     * @param deepest       the length of the longest schedule it reached
     * @param exhausted     whether it ran out of states to expand before its state budget ran out
     * @param highestLeader the highest term in which some state had a leader (0: never a leader)
     * @param mostCommitted the highest commit index any node reached in any state
     * @param failure       the first broken state found, with its schedule, if any
     */
    public record Result(int states, long steps, int deepest, boolean exhausted, long highestLeader,
            long mostCommitted, Optional<ScheduleFailure> failure) {

        /** One line for a test's output: the counts a reader compares between runs. */
        public String summary() {
            return states + " states, " + steps + " steps tried, schedules up to " + deepest + " steps"
                    + (failure.isPresent() ? ", stopped at a broken state"
                            : exhausted ? ", every state within the bounds" : ", state budget used up")
                    + ", leaders up to term " + highestLeader + ", commit index up to " + mostCommitted;
        }
    }

    /** A schedule the search reached: its last step, the way there, and the budgets it used. */
    private record Path(Path parent, Step step, int depth, int duplicates, int drops, int heartbeats, int proposed) {
        List<Step> steps() {
            List<Step> steps = new ArrayList<>(depth);
            for (Path p = this; p.step != null; p = p.parent) {
                steps.add(p.step);
            }
            Collections.reverse(steps);
            return steps;
        }

        long[] budgets() {
            return new long[] {duplicates, drops, heartbeats, proposed};
        }
    }

    /** One step to try from a state, and how it changes the budgets. */
    private record Move(Consumer<ScheduledNetwork> action, int duplicates, int drops, int heartbeats, int proposed) {}

    private final ScheduleSpec spec;
    private final List<Step> prefix;
    private final Bounds bounds;
    private final Set<Long> visited = new HashSet<>();
    private final Queue<Path> frontier = new ArrayDeque<>();
    /** The state after the prefix; every state is rebuilt from a fork of it. */
    private ScheduledNetwork start;
    private long steps;
    private int deepest;
    private long highestLeader;
    private long mostCommitted;

    private ScheduleSearch(ScheduleSpec spec, List<Step> prefix, Bounds bounds) {
        this.spec = requireNonNull(spec, "spec");
        this.prefix = List.copyOf(prefix);
        this.bounds = requireNonNull(bounds, "bounds");
    }

    /** Searches every schedule of {@code spec} within {@code bounds}, from the nodes' initial state. */
    public static Result run(ScheduleSpec spec, Bounds bounds) {
        return run(spec, List.of(), bounds);
    }

    /**
     * Searches every schedule that starts with {@code prefix} (run as given, say to elect a first leader)
     * and goes on within {@code bounds}; the bounds count only the steps after the prefix.
     */
    public static Result run(ScheduleSpec spec, List<Step> prefix, Bounds bounds) {
        return new ScheduleSearch(spec, prefix, bounds).search();
    }

    private Result search() {
        Path root = new Path(null, null, 0, 0, 0, 0, 0);
        start = spec.start();
        start.applyAll(prefix);
        visited.add(start.fingerprint(root.budgets()));
        frontier.add(root);
        while (!frontier.isEmpty()) {
            Path path = frontier.poll();
            if (path.depth() >= bounds.maxDepth()) {
                continue;
            }
            ScheduledNetwork here = replay(path);
            List<Move> moves = moves(here, path);
            // Each move starts from the state here: a fork, which rebuilds only the node the move steps.
            for (Move move : moves) {
                if (visited.size() >= bounds.maxStates()) {
                    return result(false, Optional.empty());
                }
                ScheduledNetwork network = here.fork();
                steps++;
                try {
                    move.action().accept(network);
                } catch (ScheduleFailure failure) {
                    return result(false, Optional.of(failure));
                }
                List<Step> schedule = network.schedule();
                Path child = new Path(path, schedule.get(schedule.size() - 1), path.depth() + 1,
                        move.duplicates(), move.drops(), move.heartbeats(), move.proposed());
                if (visited.add(network.fingerprint(child.budgets()))) {
                    frontier.add(child);
                    observe(network, child.depth());
                }
            }
        }
        return result(true, Optional.empty());
    }

    private ScheduledNetwork replay(Path path) {
        ScheduledNetwork network = start.fork();
        network.applyAll(path.steps());
        return network;
    }

    /** Every step worth trying from this state, within the budgets the schedule has left. */
    private List<Move> moves(ScheduledNetwork network, Path path) {
        List<Move> moves = new ArrayList<>();
        // Equal copies of a message lead to equal states: try each distinct message once.
        for (Message m : new LinkedHashSet<>(network.inFlight())) {
            moves.add(new Move(n -> n.apply(new Step.Deliver(m)),
                    path.duplicates(), path.drops(), path.heartbeats(), path.proposed()));
            if (path.duplicates() < bounds.duplicates()) {
                moves.add(new Move(n -> n.apply(new Step.Duplicate(m)),
                        path.duplicates() + 1, path.drops(), path.heartbeats(), path.proposed()));
            }
            if (path.drops() < bounds.drops()) {
                moves.add(new Move(n -> n.apply(new Step.Drop(m)),
                        path.duplicates(), path.drops() + 1, path.heartbeats(), path.proposed()));
            }
        }
        int maxTicks = 2 * spec.electionTick();
        for (Raft node : network.nodes()) {
            long id = node.id;
            if (node.state == StateType.LEADER) {
                if (path.heartbeats() < bounds.heartbeats()) {
                    moves.add(new Move(n -> n.fireTimer(id, maxTicks),
                            path.duplicates(), path.drops(), path.heartbeats() + 1, path.proposed()));
                }
                if (path.proposed() < bounds.proposals().size()) {
                    String data = bounds.proposals().get(path.proposed());
                    moves.add(new Move(n -> n.apply(new Step.Propose(id, data)),
                            path.duplicates(), path.drops(), path.heartbeats(), path.proposed() + 1));
                }
            } else if (node.term < bounds.maxTerm()) {
                moves.add(new Move(n -> n.fireTimer(id, maxTicks),
                        path.duplicates(), path.drops(), path.heartbeats(), path.proposed()));
            }
        }
        return moves;
    }

    private void observe(ScheduledNetwork network, int depth) {
        deepest = Math.max(deepest, depth);
        for (Raft node : network.nodes()) {
            if (node.state == StateType.LEADER) {
                highestLeader = Math.max(highestLeader, node.term);
            }
            mostCommitted = Math.max(mostCommitted, node.raftLog.committed);
        }
    }

    private Result result(boolean exhausted, Optional<ScheduleFailure> failure) {
        return new Result(visited.size(), steps, deepest, exhausted, highestLeader, mostCommitted, failure);
    }

    static void requireAtLeast(long least, long value, String name) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", was " + value);
        }
    }
}
