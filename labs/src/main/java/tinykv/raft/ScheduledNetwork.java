package tinykv.raft;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import tinykv.Todo;
import tinykv.proto.eraftpb.Entry;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * A Raft group whose network does only what a schedule says, one {@link Step} at a time: deliver any
 * message in flight (not only the oldest), duplicate one, drop one, tick one node, or propose to one.
 * Unlike {@link RaftNetwork}, nothing is delivered by itself: messages a node sends wait in flight,
 * in any number and for as long as the schedule likes, which is how real networks delay and reorder.
 *
 * <p>After every step the whole group is checked against {@link ClusterInvariants}; the first broken
 * property fails with a {@link ScheduleFailure} that lists the schedule so far. A random driver
 * ({@link RandomSchedule}) and an exhaustive search ({@link ScheduleSearch}) choose the steps.
 */
public final class ScheduledNetwork {
    private final ScheduleSpec spec;
    private final Map<Long, Raft> nodes;
    /** What each node was given so far, so that a fork can rebuild it. */
    private final Map<Long, Inputs> inputs;
    /** Nodes this network holds together with a fork: rebuilt from their inputs before they change. */
    private final Set<Long> shared;
    private final List<Message> inFlight;
    private final List<Step> schedule;
    private final ClusterInvariants invariants;

    /** The inputs of one node, newest first: a message it stepped, or a number of ticks (message null). */
    private record Inputs(Inputs earlier, Message message, int ticks) {}

    ScheduledNetwork(ScheduleSpec spec) {
        this.spec = spec;
        this.nodes = new TreeMap<>();
        for (long id : RaftNetwork.idsBySize(spec.nodes())) {
            nodes.put(id, build(id));
        }
        this.inputs = new TreeMap<>();
        this.shared = new HashSet<>();
        this.inFlight = new ArrayList<>();
        this.schedule = new ArrayList<>();
        this.invariants = new ClusterInvariants();
    }

    private ScheduledNetwork(ScheduledNetwork original) {
        this.spec = original.spec;
        this.nodes = new TreeMap<>(original.nodes);
        this.inputs = new TreeMap<>(original.inputs);
        this.shared = new HashSet<>(nodes.keySet());
        original.shared.addAll(nodes.keySet());
        this.inFlight = new ArrayList<>(original.inFlight);
        this.schedule = new ArrayList<>(original.schedule);
        this.invariants = original.invariants.copy();
    }

    /**
     * A copy of this network in its current state, which goes on independently. The two share their
     * nodes until either steps one: then it rebuilds its own copy of that node by replaying the node's
     * inputs on a new node, which is cheaper than replaying the whole schedule. A search forks a state
     * once for each step it tries from there.
     */
    ScheduledNetwork fork() {
        return new ScheduledNetwork(this);
    }

    // ---- Steps ----

    /**
     * Runs one step, then checks the invariants.
     *
     * @throws IllegalArgumentException if the step names a message that is not in flight, or a node
     *     that does not exist (the schedule does not fit this network)
     * @throws ScheduleFailure          if a node breaks an invariant or throws
     */
    public void apply(Step step) {
        if (step instanceof Step.Deliver d) {
            node(d.message().getTo());
            takeInFlight(d.message(), step);
            feed(d.message().getTo(), d.message(), 0, step);
        } else if (step instanceof Step.Duplicate d) {
            requireInFlight(d.message(), step);
            inFlight.add(d.message());
            schedule.add(step);
        } else if (step instanceof Step.Drop d) {
            takeInFlight(d.message(), step);
            schedule.add(step);
        } else if (step instanceof Step.Tick t) {
            feed(t.node(), null, t.times(), step);
        } else if (step instanceof Step.Propose p) {
            feed(p.node(), proposal(p), 0, step);
        }
        check();
    }

    /**
     * Ticks node {@code id} until its timer fires (it sends something, or its role or term changes), at
     * most {@code maxTicks} times, as one {@link Step.Tick} step. A search uses this so that a timeout is
     * one step, whatever the node's randomized timeout is.
     *
     * @return the step, as it was recorded in the schedule
     */
    public Step.Tick fireTimer(long id, int maxTicks) {
        Raft node = own(id);
        StateType state = node.state;
        long term = node.term;
        int ticks = 0;
        do {
            Step.Tick sofar = new Step.Tick(id, ++ticks);
            give(node, null, 1, () -> sofar);
        } while (ticks < maxTicks && node.msgs.isEmpty() && node.state == state && node.term == term);
        Step.Tick step = new Step.Tick(id, ticks);
        record(id, null, step.times(), step);
        check();
        return step;
    }

    /**
     * Delivers the messages in flight, oldest first, and what they cause, until none is left (a
     * network that is reliable and in order for a while). Each delivery is a step of the schedule.
     *
     * @throws ScheduleFailure if the nodes are still talking after {@code limit} deliveries
     */
    public void deliverAll(int limit) {
        for (int delivered = 0; !inFlight.isEmpty(); delivered++) {
            if (delivered == limit) {
                throw ScheduleFailure.liveness("the network did not go quiet after " + limit
                        + " deliveries in order: the nodes keep messaging each other", schedule, spec);
            }
            apply(new Step.Deliver(inFlight.get(0)));
        }
    }

    /** Runs every step of {@code steps}, in order. */
    public void applyAll(List<Step> steps) {
        steps.forEach(this::apply);
    }

    // ---- State ----

    public ScheduleSpec spec() {
        return spec;
    }

    /** The messages in flight, in the order they were sent (a duplicate goes to the end). */
    public List<Message> inFlight() {
        return Collections.unmodifiableList(inFlight);
    }

    /** The steps run so far. */
    public List<Step> schedule() {
        return Collections.unmodifiableList(schedule);
    }

    public Raft raft(long id) {
        return node(id);
    }

    /** The nodes in id order. */
    public Collection<Raft> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    /** The leader with the highest term, if any node is leader. */
    public Optional<Raft> leader() {
        return nodes.values().stream().filter(n -> n.state == StateType.LEADER)
                .max((a, b) -> Long.compare(a.term, b.term));
    }

    /** How many terms had a leader so far. */
    public int leaderTerms() {
        return invariants.leadersByTerm().size();
    }

    /** This state's fingerprint (see {@link StateFingerprint}), with {@code extra} values mixed in. */
    long fingerprint(long... extra) {
        return StateFingerprint.of(nodes.values(), inFlight, invariants, extra);
    }

    /** Fails the test as a missed liveness goal, listing the schedule so far. */
    public ScheduleFailure livenessFailure(String what) {
        return ScheduleFailure.liveness(what, schedule, spec);
    }

    // ---- Helpers ----

    /** Gives node {@code id} one input (a message, or {@code ticks} ticks) as {@code step}, and sends its output. */
    private void feed(long id, Message message, int ticks, Step step) {
        Raft node = own(id);
        give(node, message, ticks, () -> step);
        record(id, message, ticks, step);
    }

    private void record(long id, Message message, int ticks, Step step) {
        inputs.put(id, new Inputs(inputs.get(id), message, ticks));
        schedule.add(step);
        send(nodes.get(id));
    }

    /**
     * Steps {@code message} into {@code node}, or ticks it. A refusal ({@link RaftException}, such as a
     * dropped proposal) changes nothing, as if the message were lost; anything else a node throws fails
     * the schedule at this step.
     */
    private void give(Raft node, Message message, int ticks, Supplier<Step> step) {
        try {
            if (message != null) {
                node.step(message);
            }
            for (int i = 0; i < ticks; i++) {
                node.tick();
            }
        } catch (RaftException refused) {
            // The sender learns nothing, exactly as if the message were lost.
        } catch (Todo todo) {
            throw todo;
        } catch (RuntimeException thrown) {
            List<Step> failed = new ArrayList<>(schedule);
            failed.add(step.get());
            throw ScheduleFailure.crash(node.id, thrown, failed, spec);
        }
    }

    /** The node with this id, rebuilt first if a fork shares it. */
    private Raft own(long id) {
        node(id);
        if (shared.remove(id)) {
            Raft fresh = build(id);
            List<Inputs> given = new ArrayList<>();
            for (Inputs in = inputs.get(id); in != null; in = in.earlier()) {
                given.add(in);
            }
            Collections.reverse(given);
            for (Inputs in : given) {
                give(fresh, in.message(), in.ticks(), () -> null);
                fresh.msgs.clear(); // sent the first time round; already in flight
            }
            nodes.put(id, fresh);
        }
        return nodes.get(id);
    }

    private Raft build(long id) {
        Raft raft = spec.factory().apply(spec.config(id));
        if (raft.id != id) {
            throw new IllegalArgumentException("the node built for id " + id + " has id " + raft.id);
        }
        return raft;
    }

    private void send(Raft node) {
        for (Message m : RaftNetwork.readMessages(node)) {
            if (m.getMsgType() == MessageType.MsgHup || m.getMsgType() == MessageType.MsgBeat) {
                throw ScheduleFailure.invariant("local messages stay local. node " + node.id + " put a "
                        + m.getMsgType() + " into msgs; step it into the node itself instead", schedule, spec);
            }
            if (!nodes.containsKey(m.getTo())) {
                throw ScheduleFailure.invariant("messages go to members. node " + node.id + " sent "
                        + MessageTypes.describe(m) + " to a node that does not exist", schedule, spec);
            }
            if (!spec.lost().contains(m.getMsgType())) {
                inFlight.add(m);
            }
        }
    }

    private void check() {
        invariants.violation(nodes.values()).ifPresent(what -> {
            throw ScheduleFailure.invariant(what, schedule, spec);
        });
    }

    private void takeInFlight(Message m, Step step) {
        requireInFlight(m, step);
        inFlight.remove(m);
    }

    private void requireInFlight(Message m, Step step) {
        if (!inFlight.contains(m)) {
            throw new IllegalArgumentException("step " + (schedule.size() + 1) + " (" + step.describe()
                    + ") names a message that is not in flight");
        }
    }

    private Raft node(long id) {
        Raft node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("there is no node " + id + " in this network of " + nodes.size());
        }
        return node;
    }

    private static Message proposal(Step.Propose p) {
        return Message.newBuilder().setMsgType(MessageType.MsgPropose).setFrom(p.node()).setTo(p.node())
                .addEntries(Entry.newBuilder().setData(ByteString.copyFromUtf8(p.data())))
                .build();
    }
}
