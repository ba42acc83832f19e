package tinykv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tinykv.history.Recordings;
import tinykv.history.RunRecord;
import tinykv.history.TimelineOnFailure;
import tinykv.kv.engine.ColumnFamilies;
import tinykv.kv.raftstore.CmdResponses;
import tinykv.kv.raftstore.RaftStore;
import tinykv.kv.raftstore.meta.Keys;
import tinykv.proto.raft_cmdpb.CmdType;
import tinykv.proto.raft_cmdpb.GetResponse;
import tinykv.proto.raft_cmdpb.Response;
import tinykv.sim.Simulator;

/**
 * The history check catches what the other checks miss: with a read path broken on purpose here, in test
 * code (a leader answers gets from its own engine, without Raft, as a deposed leader in a minority would),
 * the new 2B workload's own end-of-round check passes and the history check fails, with a report and a
 * timeline named under the failure. Needs a working raftstore, so it runs against the reference.
 */
@Tag("kit")
@EnabledIfSystemProperty(named = "tinykv.impl", matches = "reference")
@DisplayName("Kit: the history check catches stale reads the end-of-round check misses")
class HistoryCheckKitTest {

    /** Answers a get from the store's own engine whenever its peer of the region believes it leads. */
    private static void breakReads(Cluster cluster) {
        cluster.replaceCommandDelivery((storeId, store, request, callback) -> {
            boolean singleGet = request.getRequestsCount() == 1
                    && request.getRequests(0).getCmdType() == CmdType.Get;
            if (singleGet && leads(store, request.getHeader().getRegionId())) {
                byte[] key = request.getRequests(0).getGet().getKey().toByteArray();
                byte[] value = cluster.engines(storeId).kv().get(ColumnFamilies.DEFAULT, Keys.dataKey(key))
                        .orElse(new byte[0]);
                callback.done(CmdResponses.ok().addResponses(Response.newBuilder().setCmdType(CmdType.Get)
                        .setGet(GetResponse.newBuilder().setValue(ByteString.copyFrom(value)))).build());
                return;
            }
            store.sendCommand(request, callback);
        });
    }

    private static boolean leads(RaftStore store, long regionId) {
        return store.peerStatuses().stream().anyMatch(peer -> peer.regionId() == regionId && peer.leader());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("a leader that reads its own engine passes the end-of-round check and fails the history check")
    void brokenReadPathIsCaught(long seed) {
        Recordings.takeAll();
        Throwable failure = catchThrowable(() -> PartitionedLeaderReads.run("brokenReadPathIsCaught",
                new Simulator(seed), HistoryCheckKitTest::breakReads));
        // The history check runs as the cluster closes, after the workload and its own checks have finished:
        // a failure that is the history check's, and not suppressed under another, means they all passed.
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).startsWith("history check: the clients' history is not linearizable")
                .contains("get(\"key ").contains("cannot get past the answer of #");
        assertThat(failure.getSuppressed()).isEmpty();
        List<RunRecord> runs = Recordings.takeAll();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).result().failure().part()).isNotEmpty();
    }

    @Test
    @DisplayName("the same workload on the unbroken reference passes the history check")
    void unbrokenReadPathPasses() {
        Recordings.takeAll();
        PartitionedLeaderReads.run("unbrokenReadPathPasses", new Simulator(1));
        assertThat(Recordings.takeAll()).singleElement()
                .satisfies(run -> assertThat(run.result().isLinearizable()).isTrue());
    }

    @Test
    @DisplayName("a failing cluster test names its timeline file under the failure, and the file holds the report")
    void failureNamesItsTimeline() throws Throwable {
        Recordings.takeAll();
        Throwable failure = catchThrowable(() -> PartitionedLeaderReads.run("brokenReadPathIsCaught",
                new Simulator(2), HistoryCheckKitTest::breakReads));
        Method method = HistoryCheckKitTest.class.getDeclaredMethod("failureNamesItsTimeline");
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getTestMethod" -> Optional.of(method);
                    default -> throw new UnsupportedOperationException(called.getName());
                });
        Throwable rethrown = catchThrowable(() -> new TimelineOnFailure().handleTestExecutionException(context, failure));
        assertThat(rethrown).isSameAs(failure);
        String note = Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage)
                .filter(text -> text.startsWith("Timeline")).findFirst().orElseThrow();
        assertThat(note).endsWith("failureNamesItsTimeline-seed2.html");
        Path file = Path.of(note.substring(note.indexOf(": ") + 2));
        String html = Files.readString(file);
        assertThat(html).contains("\"verdict\":\"NOT_LINEARIZABLE\"").contains("\"failure\":{\"part\":[")
                .doesNotContain("<script src", "<link", "@import", "url(http", "url(//", "src=\"http");
    }
}
