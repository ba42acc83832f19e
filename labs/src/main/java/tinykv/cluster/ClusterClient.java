package tinykv.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tinykv.proto.raft_cmdpb.CmdType;

/**
 * One client of a {@link Cluster} that never waits: each operation takes a continuation, run as an event of
 * this client when the operation has succeeded. A workload is a small state machine: on completion of one
 * operation it draws and issues the next, so several clients run concurrently on the simulator's one thread.
 *
 * <p>An operation that cannot succeed (TinyKV's Must... would panic) throws from the client's event and
 * fails the run with the simulator's report. The {@code ...Async} forms hand back a future instead, for
 * tests that want to hold several results; a future never waits either: run the simulator until it is done.
 */
public final class ClusterClient {
    /** TinyKV's Must... calls give each request 5 seconds. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final CommandClient commands;

    ClusterClient(CommandClient commands) {
        this.commands = commands;
    }

    /** The client's name in traces and reports, such as {@code client 2}. */
    public String name() {
        return commands.owner();
    }

    public void putCF(String cf, byte[] key, byte[] value, Consumer<Void> then) {
        commands.request(key, List.of(Requests.put(cf, key, value)), REQUEST_TIMEOUT, result -> {
            result.single(CmdType.Put);
            then.accept(null);
        });
    }

    /** The value through raft; empty bytes if the key is absent (TinyKV's GetCF). */
    public void getCF(String cf, byte[] key, Consumer<byte[]> then) {
        commands.request(key, List.of(Requests.get(cf, key)), REQUEST_TIMEOUT,
                result -> then.accept(result.single(CmdType.Get).getGet().getValue().toByteArray()));
    }

    public void deleteCF(String cf, byte[] key, Consumer<Void> then) {
        commands.request(key, List.of(Requests.delete(cf, key)), REQUEST_TIMEOUT, result -> {
            result.single(CmdType.Delete);
            then.accept(null);
        });
    }

    /**
     * A put whose first try goes to the region's peer on {@code storeId}, whatever its role (a client that
     * reaches that store); then on as {@link #putCF} goes.
     */
    public void putVia(long storeId, String cf, byte[] key, byte[] value, Consumer<Void> then) {
        commands.requestVia(storeId, key, List.of(Requests.put(cf, key, value)), REQUEST_TIMEOUT, result -> {
            result.single(CmdType.Put);
            then.accept(null);
        });
    }

    /** A get whose first try goes to the region's peer on {@code storeId}, like {@link #putVia}. */
    public void getVia(long storeId, String cf, byte[] key, Consumer<byte[]> then) {
        commands.requestVia(storeId, key, List.of(Requests.get(cf, key)), REQUEST_TIMEOUT,
                result -> then.accept(result.single(CmdType.Get).getGet().getValue().toByteArray()));
    }

    /** The default-CF values in [start, end), region by region (TinyKV's Scan). */
    public void scan(byte[] start, byte[] end, Consumer<List<byte[]>> then) {
        commands.scan(start, end, then);
    }

    public CompletableFuture<Void> putAsync(String cf, byte[] key, byte[] value) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        putCF(cf, key, value, future::complete);
        return future;
    }

    public CompletableFuture<byte[]> getAsync(String cf, byte[] key) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        getCF(cf, key, future::complete);
        return future;
    }

    public CompletableFuture<Void> deleteAsync(String cf, byte[] key) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        deleteCF(cf, key, future::complete);
        return future;
    }

    public CompletableFuture<List<byte[]>> scanAsync(byte[] start, byte[] end) {
        CompletableFuture<List<byte[]>> future = new CompletableFuture<>();
        scan(start, end, future::complete);
        return future;
    }
}
