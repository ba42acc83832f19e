package tinykv.raft;

import static java.util.Objects.requireNonNull;

import tinykv.proto.eraftpb.Message;

/**
 * One step of a schedule that a {@link ScheduledNetwork} runs. A schedule is a list of steps, and the
 * network is a pure function of it: replaying the same steps on new nodes with the same seeds gives the
 * same states, so any schedule printed in a failure is a real run that can be replayed.
 *
 * <p>The message steps name the message itself, not its position, so a schedule reads without knowing
 * the order in which messages were sent, and equal copies of a message are interchangeable.
 */
public sealed interface Step {

    /** The step as one line of a numbered schedule, e.g. {@code deliver MsgRequestVote 1->2 term=1 ...}. */
    String describe();

    /** Hands one message in flight to its receiver; any of them may go first (reordering). */
    record Deliver(Message message) implements Step {
        public Deliver {
            requireNonNull(message, "message");
        }

        @Override
        public String describe() {
            return "deliver   " + MessageTypes.describe(message);
        }
    }

    /** Puts a second copy of a message in flight, as a network that retransmits does. */
    record Duplicate(Message message) implements Step {
        public Duplicate {
            requireNonNull(message, "message");
        }

        @Override
        public String describe() {
            return "duplicate " + MessageTypes.describe(message);
        }
    }

    /** Loses a message in flight. */
    record Drop(Message message) implements Step {
        public Drop {
            requireNonNull(message, "message");
        }

        @Override
        public String describe() {
            return "drop      " + MessageTypes.describe(message);
        }
    }

    /** Ticks one node {@code times} times in a row (its clock advances; nothing else happens meanwhile). */
    record Tick(long node, int times) implements Step {
        public Tick {
            if (times < 1) {
                throw new IllegalArgumentException("a tick step ticks at least once, was " + times);
            }
        }

        @Override
        public String describe() {
            return "tick      node " + node + (times == 1 ? "" : " " + times + " times");
        }
    }

    /** A client proposes one entry holding {@code data} to {@code node}; a node that is not leader refuses it. */
    record Propose(long node, String data) implements Step {
        public Propose {
            requireNonNull(data, "data");
        }

        @Override
        public String describe() {
            return "propose   \"" + data + "\" to node " + node;
        }
    }
}
