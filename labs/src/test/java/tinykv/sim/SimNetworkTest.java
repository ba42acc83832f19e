package tinykv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The network: latency within its range, reordering, partitions, drops, and stores that are down. */
@Tag("kit")
@DisplayName("Kit: the simulator's network and filters")
class SimNetworkTest {
    /** A message of the test: which stores, and a number to tell them apart. */
    record Note(long from, long to, int number) {}

    private final Simulator sim = new Simulator(31);
    private final SimNetwork<Note> network = new SimNetwork<>(sim, note -> "note " + note.number());
    private final List<String> arrivals = new ArrayList<>();

    @BeforeEach
    void startStores() {
        for (long id = 1; id <= 5; id++) {
            sim.store(id);
        }
    }

    private void send(long from, long to, int number) {
        network.send(from, to, new Note(from, to, number),
                note -> arrivals.add(note.from() + "->" + note.to() + " #" + note.number() + " @" + sim.now()));
    }

    @Test
    @DisplayName("latency is drawn from 1..5 ms, and messages sent in order can arrive out of order")
    void latencyAndReordering() {
        List<Integer> order = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int number = i;
            long sentAt = sim.now();
            network.send(1, 2, new Note(1, 2, i), note -> {
                order.add(number);
                latencies.add(sim.now() - sentAt);
            });
            sim.runFor(Duration.ofMillis(1)); // one message per millisecond
        }
        sim.runFor(Duration.ofMillis(10));
        assertThat(order).hasSize(200).doesNotHaveDuplicates();
        assertThat(latencies).allMatch(latency -> latency >= 1 && latency <= 5);
        assertThat(latencies).contains(1L, 5L);
        assertThat(order).isNotEqualTo(order.stream().sorted().toList()); // some overtook others
        assertThat(network.stats()).isEqualTo(new SimNetwork.Stats(200, 200, 0, 0));
    }

    @Test
    @DisplayName("delivery is an event of the receiving store, named by the message's description")
    void deliveryIsTracedOnTheReceiver() {
        send(1, 4, 9);
        sim.runFor(Duration.ofMillis(10));
        assertThat(sim.recentEvents()).singleElement().asString().contains("store 4").contains("deliver note 9 from store 1");
    }

    @Test
    @DisplayName("a partition drops messages across it, either way, and keeps those inside each side")
    void partition() {
        network.addFilter(new PartitionFilter<>(Set.of(1L, 2L), Set.of(3L, 4L)));
        send(1, 3, 1);
        send(4, 2, 2);
        send(1, 2, 3);
        send(3, 4, 4);
        send(5, 1, 5); // store 5 is on neither side
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).extracting(line -> line.substring(0, line.indexOf(" @")))
                .containsExactlyInAnyOrder("1->2 #3", "3->4 #4", "5->1 #5");
        assertThat(network.stats().filtered()).isEqualTo(2);

        network.clearFilters();
        send(1, 3, 6);
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).anyMatch(line -> line.startsWith("1->3 #6"));
    }

    @Test
    @DisplayName("a store cannot be on both sides of a partition")
    void partitionSidesAreDisjoint() {
        assertThatThrownBy(() -> new PartitionFilter<Note>(Set.of(1L, 2L), Set.of(2L, 3L)))
                .hasMessageContaining("both sides").hasMessageContaining("[2]");
    }

    @Test
    @DisplayName("the drop filter drops about its share, the same messages for the same seed")
    void dropFilter() {
        network.addFilter(new DropFilter<>(DropFilter.TINYKV_RATE));
        for (int i = 0; i < 2000; i++) {
            send(1 + i % 5, 1 + (i + 1) % 5, i);
        }
        sim.runFor(Duration.ofMillis(10));
        long dropped = network.stats().filtered();
        assertThat(dropped).isBetween(140L, 260L); // 10% of 2000 = 200, well within 4 standard deviations

        Simulator again = new Simulator(31);
        for (long id = 1; id <= 5; id++) {
            again.store(id);
        }
        SimNetwork<Note> sameSeed = new SimNetwork<>(again, note -> "note " + note.number());
        sameSeed.addFilter(new DropFilter<>(DropFilter.TINYKV_RATE));
        List<String> againArrivals = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long from = 1 + i % 5;
            long to = 1 + (i + 1) % 5;
            sameSeed.send(from, to, new Note(from, to, i),
                    note -> againArrivals.add(note.from() + "->" + note.to() + " #" + note.number() + " @" + again.now()));
        }
        again.runFor(Duration.ofMillis(10));
        assertThat(againArrivals).isEqualTo(arrivals);
    }

    @Test
    @DisplayName("filters apply in order, and a custom filter can pick messages by content")
    void customFilter() {
        network.addFilter((envelope, random) -> envelope.message().number() % 2 == 0);
        for (int i = 0; i < 6; i++) {
            send(1, 2, i);
        }
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).extracting(line -> line.substring(line.indexOf('#'), line.indexOf(" @")))
                .containsExactlyInAnyOrder("#0", "#2", "#4");
    }

    @Test
    @DisplayName("messages to a halted store are lost, in flight too; a halted store sends nothing")
    void haltedStores() {
        send(1, 2, 1); // in flight when store 2 halts
        sim.store(2).halt();
        send(1, 2, 2); // sent while store 2 is down
        send(2, 1, 3); // sent by a halted store
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).isEmpty();
        assertThat(network.stats()).isEqualTo(new SimNetwork.Stats(2, 0, 0, 1));

        sim.restartStore(2);
        send(1, 2, 4);
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).singleElement().asString().startsWith("1->2 #4");
    }

    @Test
    @DisplayName("a message in flight when its receiver restarts is lost")
    void restartLosesMessagesInFlight() {
        send(3, 4, 1);
        sim.restartStore(4);
        sim.runFor(Duration.ofMillis(10));
        assertThat(arrivals).isEmpty();
    }
}
