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
final class CrossReadClient extends ClientLoop {
    private final int id;
    private final int clients;
    private final long storeId;
    private final ClusterClient client;
    private final SplittableRandom random;
    private int puts;
    private String lastPut = "";

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

    @Override
    void issueOne() {
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
}
