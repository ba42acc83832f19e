package tinykv.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import tinykv.proto.eraftpb.Message;
import tinykv.proto.eraftpb.MessageType;

/**
 * A network of Raft nodes for unit tests, with ids 1..n. {@link #send} delivers messages, and every
 * message they cause, until the network is quiet; filters drop, cut and isolate traffic on the way. It
 * works in steps, not time: no clock, and every random drop comes from the seeded generator it is given.
 */
public final class RaftNetwork {

    /** A network that is still talking after this many deliveries in one send is stuck in a loop. */
    static final int DELIVERY_LIMIT = 100_000;

    private final Map<Long, NetworkPeer> peers = new TreeMap<>();
    private final Map<Long, MemoryStorage> storages = new TreeMap<>();
    private final Map<Link, Double> dropRates = new HashMap<>();
    private final Set<MessageType> ignored = EnumSet.noneOf(MessageType.class);
    private final RaftInvariants invariants = new RaftInvariants();
    private final RandomGenerator random;
    private Predicate<Message> messageHook = message -> true;

    /**
     * @param newConfig builds the config of the node at a {@link NetworkPeer#fresh()} position, given its
     *     id, all ids, and a new storage
     */
    RaftNetwork(List<NetworkPeer> nodes, RandomGenerator random, FreshNodeFactory newConfig) {
        this.random = random;
        List<Long> ids = idsBySize(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            long id = ids.get(i);
            NetworkPeer peer = nodes.get(i);
            if (peer instanceof NetworkPeer.Fresh) {
                MemoryStorage storage = new MemoryStorage();
                storages.put(id, storage);
                peer = NetworkPeer.of(new Raft(newConfig.config(id, ids, storage)));
            } else if (peer instanceof NetworkPeer.Node node && node.raft().id != id) {
                throw new IllegalArgumentException("the node at position " + id + " has id "
                        + node.raft().id + "; ids must be 1, 2, ... in order");
            }
            peers.put(id, peer);
        }
    }

    /** Builds the config of a fresh node. */
    @FunctionalInterface
    interface FreshNodeFactory {
        Config config(long id, List<Long> allIds, MemoryStorage storage);
    }

    /** The ids 1..size. */
    public static List<Long> idsBySize(int size) {
        List<Long> ids = new ArrayList<>(size);
        for (long id = 1; id <= size; id++) {
            ids.add(id);
        }
        return ids;
    }

    // ---- Delivery ----

    /**
     * Delivers the messages, then every message that delivery causes, until none is left. Each node's
     * output passes the filters before it travels. A proposal a node refuses is dropped, as a real
     * network would lose it. After each delivery the receiver is checked against {@link RaftInvariants}.
     */
    public void send(Message... messages) {
        Deque<Message> queue = new ArrayDeque<>(List.of(messages));
        int delivered = 0;
        while (!queue.isEmpty()) {
            Message message = queue.poll();
            if (++delivered > DELIVERY_LIMIT) {
                throw new AssertionError("the network did not go quiet after " + DELIVERY_LIMIT
                        + " deliveries: the nodes keep messaging each other. Last message: " + MessageTypes.describe(message));
            }
            if (peerAt(message.getTo(), message) instanceof NetworkPeer.Node node) {
                deliver(node.raft(), message);
                invariants.check(node.raft(), delivered, message);
                queue.addAll(filter(readMessages(node.raft())));
            }
        }
    }

    private static void deliver(Raft raft, Message message) {
        try {
            raft.step(message);
        } catch (RaftException refused) {
            // The sender learns nothing, exactly as if the message were lost.
        }
    }

    /** Takes the messages a node has queued to send. */
    public static List<Message> readMessages(Raft raft) {
        List<Message> out = List.copyOf(raft.msgs);
        raft.msgs.clear();
        return out;
    }

    private List<Message> filter(List<Message> messages) {
        List<Message> passed = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message.getMsgType() == MessageType.MsgHup) {
                throw new AssertionError("node " + message.getFrom()
                        + " sent a MsgHup over the network; MsgHup is local and must only be stepped by a node itself");
            }
            if (ignored.contains(message.getMsgType()) || isDropped(message) || !messageHook.test(message)) {
                continue;
            }
            passed.add(message);
        }
        return passed;
    }

    private boolean isDropped(Message message) {
        Double rate = dropRates.get(new Link(message.getFrom(), message.getTo()));
        return rate != null && random.nextDouble() < rate;
    }

    // ---- Faults ----

    /** Drops messages from {@code from} to {@code to} with probability {@code rate} (1.0: all of them). */
    public void drop(long from, long to, double rate) {
        dropRates.put(new Link(from, to), rate);
    }

    /** Drops every message between {@code one} and {@code other}, both ways. */
    public void cut(long one, long other) {
        drop(one, other, 1.0);
        drop(other, one, 1.0);
    }

    /** Drops every message to and from {@code id}. */
    public void isolate(long id) {
        for (long other : peers.keySet()) {
            if (other != id) {
                cut(id, other);
            }
        }
    }

    /** Drops every message of this type. */
    public void ignore(MessageType type) {
        ignored.add(type);
    }

    /** Removes every drop, cut, isolation and ignore (the message hook stays). */
    public void recover() {
        dropRates.clear();
        ignored.clear();
    }

    /** Lets a message through only if {@code hook} says so; it may also look at each message. */
    public void setMessageHook(Predicate<Message> hook) {
        this.messageHook = hook;
    }

    // ---- Access ----

    /** The Raft node with this id. */
    public Raft raft(long id) {
        if (peerAt(id, null) instanceof NetworkPeer.Node node) {
            return node.raft();
        }
        throw new IllegalArgumentException("node " + id + " is a black hole, not a Raft node");
    }

    /** The storage of a node the network built itself. */
    public MemoryStorage storage(long id) {
        MemoryStorage storage = storages.get(id);
        if (storage == null) {
            throw new IllegalArgumentException(
                    "node " + id + " was not built by the network, so it has no storage here");
        }
        return storage;
    }

    /** Replaces the node with this id (for example by a black hole, or a restarted node). */
    public void replace(long id, NetworkPeer peer) {
        peerAt(id, null);
        peers.put(id, peer);
    }

    public Set<Long> ids() {
        return Collections.unmodifiableSet(peers.keySet());
    }

    /** Runs {@code action} on every Raft node, in id order. */
    public void forEachRaft(Consumer<Raft> action) {
        peers.values().forEach(peer -> {
            if (peer instanceof NetworkPeer.Node node) {
                action.accept(node.raft());
            }
        });
    }

    private NetworkPeer peerAt(long id, Message cause) {
        NetworkPeer peer = peers.get(id);
        if (peer == null) {
            String why = cause == null ? "" : " (a message was sent to it: " + MessageTypes.describe(cause) + ")";
            throw new AssertionError("there is no node " + id + " in this network of " + peers.size() + why);
        }
        return peer;
    }

    private record Link(long from, long to) {}
}
