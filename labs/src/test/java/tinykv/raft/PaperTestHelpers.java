package tinykv.raft;

import static org.assertj.core.api.Assertions.fail;

import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import tinykv.proto.eraftpb.Message;

/** Helpers shared by the Raft paper tests, {@link RaftPaper2AATest} and {@link RaftPaper2ABTest}. */
final class PaperTestHelpers {
    private PaperTestHelpers() {}

    /**
     * The messages ordered by receiver (then by type), so that a test does not depend on the order in which
     * a node happens to address its peers.
     */
    static List<Message> sortedByReceiver(List<Message> messages) {
        return messages.stream()
                .sorted(Comparator.comparingLong(Message::getTo).thenComparingInt(Message::getMsgTypeValue))
                .toList();
    }

    /**
     * Ticks {@code raft} until {@code done} holds (checked before every tick, so 0 ticks when it already
     * holds) and returns the number of ticks. Fails instead of looping forever when it still does not hold
     * after {@code maxTicks} ticks.
     *
     * @param waitingFor what {@code done} means, for the failure message
     */
    static int tickUntil(Raft raft, BooleanSupplier done, int maxTicks, String waitingFor) {
        int ticks = 0;
        while (!done.getAsBoolean()) {
            if (ticks >= maxTicks) {
                fail("node %d ticked %d times waiting for %s; it never happened", raft.id, ticks, waitingFor);
            }
            raft.tick();
            ticks++;
        }
        return ticks;
    }
}
