package tinykv.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.raftstore.PeerAccess;
import tinykv.kv.raftstore.Proposal;
import tinykv.proto.metapb.Peer;
import tinykv.runtime.Log;
import tinykv.sim.Simulator;

/**
 * {@code LOG_LEVEL=debug} tells a command's whole story, in the provided code's lines (issue 15): the client
 * sends it, the leader proposes it at an index and term, each peer applies the entry, the leader answers it,
 * the client hears the answer. With a wrong match of proposals to entries made on purpose here, in test code
 * (the callbacks of two waiting Proposals swapped, as a student's matching might), the applied entry and the
 * answer say so, with the index and term of both. Needs a working raftstore, so it runs against the reference.
 */
@Tag("kit")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
@DisplayName("Kit: LOG_LEVEL=debug shows each command, proposal, applied entry and answer, and a wrong match at once")
class DebugLogKitTest {
    private static final long REGION = 1;
    private static final Pattern TIME_STAMP = Pattern.compile("^\\[ *[0-9]+\\.[0-9]{3}s\\] ");
    private static final Pattern PROPOSED =
            Pattern.compile("^store (\\d+) region 1 peer (\\d+) DEBUG proposed (.+) at index (\\d+) term (\\d+)$");

    /** The debug lines printed while {@code run} runs, without their time stamps (the order is the run's). */
    private static List<String> debugLines(Runnable run) {
        String level = System.getProperty(Log.PROPERTY);
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setProperty(Log.PROPERTY, "debug"); // read as each logger is made: when the cluster is built
        System.setOut(new PrintStream(printed, true, UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(console);
            if (level == null) {
                System.clearProperty(Log.PROPERTY);
            } else {
                System.setProperty(Log.PROPERTY, level);
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : printed.toString(UTF_8).split("\\R")) {
            Matcher stamp = TIME_STAMP.matcher(line);
            if (stamp.find() && line.contains(" DEBUG ")) {
                lines.add(line.substring(stamp.end()));
            }
        }
        return lines;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /** A command as the leader proposed it, read back from its line. */
    private record Proposed(long storeId, long peerId, String command, long index, long term) {
        static List<Proposed> in(List<String> lines) {
            List<Proposed> proposed = new ArrayList<>();
            for (String line : lines) {
                Matcher m = PROPOSED.matcher(line);
                if (m.matches()) {
                    proposed.add(new Proposed(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
                            Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
                }
            }
            return proposed;
        }

        String place() {
            return "store " + storeId + " region 1 peer " + peerId + " DEBUG ";
        }
    }

    @Test
    @DisplayName("a put and a get: the client's lines, and the leader's proposal, applied entry and answer for each")
    void putAndGetTellTheirStory() {
        List<String> lines = debugLines(() -> {
            try (Cluster cluster = new Cluster(5, tinykv.kv.raftstore.StoreConfig.forTests(), new Simulator(1))) {
                cluster.start();
                cluster.mustPut(bytes("k1"), bytes("v1"));
                cluster.mustGet(bytes("k1"), bytes("v1"));
            }
        });

        List<Proposed> proposed = Proposed.in(lines);
        assertThat(proposed).as("proposed lines").extracting(Proposed::command).containsExactly("Put \"k1\"", "Get \"k1\"");
        Proposed put = proposed.get(0);
        long leaderStore = put.storeId();
        String leader = put.place();
        String to = " to store " + leaderStore + " region 1";
        long i = put.index();
        long t = put.term();
        List<String> story = lines.subList(lines.indexOf("cluster DEBUG client: Put \"k1\"" + to), lines.size())
                .stream()
                .filter(line -> line.startsWith("cluster DEBUG client:") || (line.startsWith(leader)
                        && line.matches(".* DEBUG (proposed|applied|answered) .*")))
                .toList();
        assertThat(story).containsExactly(
                "cluster DEBUG client: Put \"k1\"" + to,
                leader + "proposed Put \"k1\" at index " + i + " term " + t,
                leader + "applied index " + i + " term " + t + " Put \"k1\", answers its Proposal",
                leader + "answered Put \"k1\" (index " + i + " term " + t + "): ok Put",
                "cluster DEBUG client: Put \"k1\"" + to + " -> ok Put",
                "cluster DEBUG client: Get \"k1\"" + to,
                leader + "proposed Get \"k1\" at index " + (i + 1) + " term " + t,
                leader + "applied index " + (i + 1) + " term " + t + " Get \"k1\", answers its Proposal",
                leader + "answered Get \"k1\" (index " + (i + 1) + " term " + t + "): ok Get value=\"v1\"",
                "cluster DEBUG client: Get \"k1\"" + to + " -> ok Get value=\"v1\"");
        for (long follower = 1; follower <= 5; follower++) {
            if (follower != leaderStore) {
                // Peer i lives on store i in the first region.
                assertThat(lines).as("store %d's applied entries", follower).contains("store " + follower
                        + " region 1 peer " + follower + " DEBUG applied index " + i + " term " + t + " Put \"k1\"");
            }
        }
    }

    /** Gives each of the two oldest waiting Proposals the other's callback; false if fewer than two wait. */
    private static boolean swapOldestCallbacks(Deque<Proposal> proposals) {
        if (proposals.size() < 2) {
            return false;
        }
        Proposal first = proposals.pollFirst();
        Proposal second = proposals.pollFirst();
        proposals.addFirst(new Proposal(second.index(), second.term(), first.callback()));
        proposals.addFirst(new Proposal(first.index(), first.term(), second.callback()));
        return true;
    }

    @Test
    @DisplayName("two Proposals with swapped callbacks: the applied entry names the other command, the answer is "
            + "another command's, and the client fails")
    void wrongMatchShowsAtOnce() {
        AtomicBoolean swapped = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> lines = debugLines(() -> failure.set(catchThrowable(() -> {
            try (Cluster cluster = new Cluster(5, tinykv.kv.raftstore.StoreConfig.forTests(), new Simulator(1))) {
                cluster.start();
                Peer leader = cluster.leaderOfRegion(REGION).orElseThrow();
                // Raft messages leave in the ready that follows the proposals and before it applies anything:
                // the leader's first send with two Proposals waiting swaps their callbacks.
                cluster.addFilter((envelope, random) -> {
                    if (!swapped.get() && envelope.fromStore() == leader.getStoreId()) {
                        cluster.processes().running(leader.getStoreId()).ifPresent(store ->
                                swapped.set(swapOldestCallbacks(PeerAccess.proposals(store, REGION))));
                    }
                    return true;
                });
                CompletableFuture<Void> put = cluster.newClient("client 0").putAsync(ColumnFamilies.DEFAULT,
                        bytes("k1"), bytes("v1"));
                CompletableFuture<List<byte[]>> scan = cluster.newClient("client 1").scanAsync(bytes(""), bytes(""));
                cluster.simulator().runUntilDone(CompletableFuture.allOf(put, scan), Duration.ofSeconds(30));
            }
        })));

        assertThat(swapped).as("the fixture swapped two waiting Proposals").isTrue();
        List<Proposed> proposed = Proposed.in(lines);
        assertThat(proposed).as("proposed lines").hasSizeGreaterThanOrEqualTo(2);
        Proposed first = proposed.get(0);
        Proposed second = proposed.get(1);
        assertThat(List.of(first.command(), second.command())).containsExactlyInAnyOrder("Put \"k1\"", "Snap");
        assertThat(second.index()).isEqualTo(first.index() + 1);
        String firstAnswer = first.command().equals("Snap") ? "ok Snap region=1" : "ok Put";
        assertThat(lines).contains(
                first.place() + "applied index " + first.index() + " term " + first.term() + " " + first.command()
                        + ", but the Proposal at index " + first.index() + " term " + first.term()
                        + " holds the callback of " + second.command() + " (index " + second.index() + " term "
                        + second.term() + ")",
                first.place() + "answered " + second.command() + " (index " + second.index() + " term "
                        + second.term() + "): " + firstAnswer + ", another command's answer");
        String secondKind = second.command().equals("Snap") ? "Snap" : "Put";
        String firstKind = first.command().equals("Snap") ? "Snap" : "Put";
        assertThat(failure.get()).as("the client's failure").isNotNull()
                .hasMessageContaining("expected a " + secondKind + " response, got " + firstKind);
    }
}
