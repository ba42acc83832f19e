package tinykv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tinykv.runtime.Mailbox;

/** A store's event loop: mailboxes batch, a halt is a crash, a restart is a fresh loop. */
@Tag("kit")
@DisplayName("Kit: the simulator's store loops and mailboxes")
class StoreLoopTest {
    private final Simulator sim = new Simulator(21);
    private final StoreLoop store = sim.store(3);
    private final List<List<String>> batches = new ArrayList<>();
    private final Mailbox<String> raftWorker = store.mailbox("raft worker", batch -> batches.add(List.copyOf(batch)));

    @Test
    @DisplayName("a loop is named after its store and reads the simulator's clock")
    void nameAndClock() {
        sim.runFor(Duration.ofMillis(42));
        assertThat(store.name()).isEqualTo("store 3");
        assertThat(store.now()).isEqualTo(42);
        assertThat(sim.store(3)).isSameAs(store);
    }

    @Test
    @DisplayName("messages sent in one instant reach the handler as one batch, in order, never inside send")
    void mailboxBatching() {
        store.schedule(Duration.ofMillis(5), "client", () -> {
            raftWorker.send("a");
            raftWorker.send("b");
            assertThat(batches).isEmpty(); // never handled inside send
            raftWorker.send("c");
        });
        sim.runFor(Duration.ofMillis(10));
        assertThat(batches).containsExactly(List.of("a", "b", "c"));
        assertThat(sim.eventsProcessed()).isEqualTo(2); // the task and one drain
    }

    @Test
    @DisplayName("the drain runs after the events already queued for the same instant")
    void drainRunsAfterEventsAlreadyQueued() {
        List<String> order = new ArrayList<>();
        Mailbox<String> worker = store.mailbox("store worker", batch -> order.add("batch " + batch));
        store.schedule(Duration.ofMillis(1), "send", () -> worker.send("ping"));
        store.schedule(Duration.ofMillis(1), "already queued", () -> order.add("queued task"));
        sim.runFor(Duration.ofMillis(5));
        assertThat(order).containsExactly("queued task", "batch [ping]");
    }

    @Test
    @DisplayName("a handler's own sends form the next batch")
    void sendsFromTheHandlerGoToTheNextBatch() {
        List<List<Integer>> seen = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Mailbox<Integer>[] box = new Mailbox[1];
        box[0] = store.mailbox("counter", batch -> {
            seen.add(List.copyOf(batch));
            if (batch.get(0) < 3) {
                box[0].send(batch.get(0) + 1);
                box[0].send(batch.get(0) + 10);
            }
        });
        box[0].send(1);
        sim.runFor(Duration.ofMillis(1));
        assertThat(seen).containsExactly(List.of(1), List.of(2, 11), List.of(3, 12));
    }

    @Test
    @DisplayName("halt drops pending timers and undelivered mail; later sends and schedules are ignored")
    void haltDropsPendingEvents() {
        List<String> ran = new ArrayList<>();
        store.schedule(Duration.ofMillis(10), "election timeout", () -> ran.add("timer"));
        raftWorker.send("undelivered");
        store.halt();
        raftWorker.send("after halt");
        store.schedule(Duration.ofMillis(1), "after halt", () -> ran.add("late timer")).cancel();
        store.schedule(Duration.ofMillis(1), "after halt", () -> ran.add("late timer"));
        sim.runFor(Duration.ofSeconds(1));
        assertThat(ran).isEmpty();
        assertThat(batches).isEmpty();
        assertThat(sim.eventsProcessed()).isZero();
        assertThat(store.isHalted()).isTrue();
        assertThat(sim.isStoreUp(3)).isFalse();
    }

    @Test
    @DisplayName("a restarted store gets a fresh loop with a fresh random stream; the old one stays dead")
    void restartGivesAFreshLoop() {
        List<String> ran = new ArrayList<>();
        store.schedule(Duration.ofMillis(10), "old timer", () -> ran.add("old"));
        long firstDraw = store.random().nextLong();
        StoreLoop restarted = sim.restartStore(3);
        assertThat(store.isHalted()).isTrue();
        assertThat(restarted).isNotSameAs(store).isSameAs(sim.store(3));
        assertThat(restarted.name()).isEqualTo("store 3");
        restarted.schedule(Duration.ofMillis(10), "new timer", () -> ran.add("new"));
        store.schedule(Duration.ofMillis(1), "old loop again", () -> ran.add("old again"));
        sim.runFor(Duration.ofMillis(20));
        assertThat(ran).containsExactly("new");
        assertThat(restarted.random().nextLong()).isNotEqualTo(firstDraw);
        // Deterministic: the second incarnation of store 3 draws the same in another simulator of the seed.
        Simulator again = new Simulator(21);
        again.store(3);
        assertThat(again.restartStore(3).random().nextLong())
                .isEqualTo(new Simulator(21).random("store 3#2").nextLong());
    }
}
