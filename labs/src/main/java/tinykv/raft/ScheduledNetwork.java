package tinykv.raft;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    private final Map<Long, Raft> nodes = new TreeMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final List<Step> schedule = new ArrayList<>();
    private final ClusterInvariants invariants = new ClusterInvariants();

    ScheduledNetwork(ScheduleSpec spec) {
        this.spec = spec;
        for (long id : RaftNetwork.idsBySize(spec.nodes())) {
            Raft raft = spec.factory().apply(spec.config(id));
            if (raft.id != id) {
                throw new IllegalArgumentException("the node built for id " + id + " has id " + raft.id);
            }
            nodes.put(id, raft);
        }
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
            Raft receiver = node(d.message().getTo());
            takeInFlight(d.message(), step);
            run(step, receiver, () -> receiver.step(d.message()));
        } else if (step instanceof Step.Duplicate d) {
            requireInFlight(d.message(), step);
            inFlight.add(d.message());
            schedule.add(step);
        } else if (step instanceof Step.Drop d) {
            takeInFlight(d.message(), step);
            schedule.add(step);
        } else if (step instanceof Step.Tick t) {
            Raft node = node(t.node());
            run(step, node, () -> {
                for (int i = 0; i < t.times(); i++) {
                    node.tick();
                }
            });
        } else if (step instanceof Step.Propose p) {
            Raft node = node(p.node());
            run(step, node, () -> node.step(proposal(p)));
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
        Raft node = node(id);
        StateType state = node.state;
        long term = node.term;
        int[] ticks = {0};
        Step.Tick[] step = {null};
        Runnable ticking = () -> {
            while (ticks[0] < maxTicks && node.msgs.isEmpty() && node.state == state && node.term == term) {
                node.tick();
                ticks[0]++;
            }
        };
        runRecordingAfter(node, ticking, () -> step[0] = new Step.Tick(id, Math.max(1, ticks[0])));
        check();
        return step[0];
    }

    /**
     * Delivers the messages in flight, oldest first, and what they cause, until none is left (a
     * network that is reliable and in order for a while). Each delivery is a step of the schedule.
     *
     * @throws AssertionError if the nodes are still talking after {@code limit} deliveries
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

    private void run(Step step, Raft node, Runnable action) {
        runRecordingAfter(node, action, () -> step);
    }

    /** Runs {@code action} on {@code node}, records the step it made, and puts what the node sent in flight. */
    private void runRecordingAfter(Raft node, Runnable action, java.util.function.Supplier<Step> recorded) {
        try {
            action.run();
        } catch (RaftException refused) {
            // A refused proposal (or message) changes nothing: the sender learns nothing, as if it were lost.
        } catch (Todo todo) {
            throw todo;
        } catch (RuntimeException thrown) {
            schedule.add(recorded.get());
            throw ScheduleFailure.crash(node.id, thrown, schedule, spec);
        }
        schedule.add(recorded.get());
        send(node);
    }

    private void send(Raft node) {
        for (Message m : RaftNetwork.readMessages(node)) {
            if (m.getMsgType() == MessageType.MsgHup || m.getMsgType() == MessageType.MsgBeat) {
                throw ScheduleFailure.invariant("local messages stay local. node " + node.id + " put a "
                        + m.getMsgType() + " into msgs; step it into the node itself instead", schedule, spec);
            }
            if (!nodes.containsKey(m.getTo())) {
                throw ScheduleFailure.invariant("messages go to members. node " + node.id + " sent "
                        + RaftNetwork.describe(m) + " to a node that does not exist", schedule, spec);
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
