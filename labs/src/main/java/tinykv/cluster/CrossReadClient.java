package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import tinykv.kv.engine.ColumnFamilies;

/**
 * One client of {@link PartitionedLeaderReads}: it reaches the cluster through one store, and until stopped
 * either puts the next value of its own key or gets the key of a client chosen at random (itself included),
 * so that it reads what others wrote. A fair coin from its own random stream decides. Its reads are judged by
 * the history check alone; it remembers only the last value it put, for the end-of-round check.
 */
final class CrossReadClient {
    private final int id;
    private final int clients;
    private final long storeId;
    private final ClusterClient client;
    private final SplittableRandom random;
    private int puts;
    private String lastPut = "";
    private long operations;
    private boolean stopRequested;
    private boolean idle = true;

    CrossReadClient(int id, int clients, long storeId, ClusterClient client, SplittableRandom random) {
        this.id = id;
        this.clients = clients;
        this.storeId = storeId;
        this.client = client;
        this.random = random;
    }

    static byte[] key(int client) {
        return ("key " + client).getBytes(StandardCharsets.UTF_8);
    }

    int id() {
        return id;
    }

    /** The last value this client's put was acknowledged with; empty before its first. */
    String lastPut() {
        return lastPut;
    }

    long operations() {
        return operations;
    }

    boolean isIdle() {
        return idle;
    }

    void start() {
        stopRequested = false;
        idle = false;
        next();
    }

    /** Issues no new operation; the one in flight still completes. */
    void stop() {
        stopRequested = true;
    }

    private void next() {
        if (stopRequested) {
            idle = true;
            return;
        }
        if (random.nextBoolean()) {
            String value = "v" + id + "." + puts;
            client.putVia(storeId, ColumnFamilies.DEFAULT, key(id), value.getBytes(StandardCharsets.UTF_8), done -> {
                puts++;
                lastPut = value;
                completed();
            });
        } else {
            client.getVia(storeId, ColumnFamilies.DEFAULT, key(random.nextInt(clients)), value -> completed());
        }
    }

    private void completed() {
        operations++;
        next();
    }
}
