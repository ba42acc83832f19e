package tinykv.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import tinykv.kv.engine.ColumnFamilies;

/**
 * One client of {@link GenericTest}: until stopped, it either puts its next value {@code x <me> <j> y} under
 * its next key {@code <me> <j as 8 digits>}, or scans all its keys back and checks that they hold exactly what
 * it put, in order; a fair coin from its own random stream decides. A state machine: each operation, when it
 * completes, issues the next, so all clients share the simulator's one thread.
 */
final class AppendClient extends ClientLoop {
    private final int id;
    private final ClusterClient client;
    private final SplittableRandom random;
    /** The values whose puts were acknowledged, in order: what a scan of this client's keys must return. */
    private final List<String> acknowledged = new ArrayList<>();
    private int puts;

    AppendClient(int id, ClusterClient client, SplittableRandom random) {
        this.id = id;
        this.client = client;
        this.random = random;
    }

    static byte[] key(int client, int j) {
        return String.format(Locale.ROOT, "%d %08d", client, j).getBytes(StandardCharsets.UTF_8);
    }

    static String value(int client, int j) {
        return "x " + client + " " + j + " y";
    }

    int id() {
        return id;
    }

    /** How many values this client has put (and so must find). */
    int puts() {
        return puts;
    }

    @Override
    void issueOne() {
        if (random.nextInt(1000) < 500) {
            int j = puts;
            String value = value(id, j);
            client.putCF(ColumnFamilies.DEFAULT, key(id, j), value.getBytes(StandardCharsets.UTF_8), done -> {
                acknowledged.add(value);
                puts++;
                completed();
            });
        } else {
            client.scan(key(id, 0), key(id, puts), this::checkScan);
        }
    }

    private void checkScan(List<byte[]> values) {
        List<String> actual = values.stream().map(value -> new String(value, StandardCharsets.UTF_8)).toList();
        if (!actual.equals(acknowledged)) {
            throw new AssertionError(String.format(Locale.ROOT, "client %d scanned wrong values after %d acknowledged "
                    + "puts: %s%n  want: %s%n  got:  %s", id, puts, firstDifference(acknowledged, actual),
                    GenericTest.abbreviate(String.join(", ", acknowledged)),
                    GenericTest.abbreviate(String.join(", ", actual))));
        }
        completed();
    }

    /** The first place where a scan differs from what was acknowledged, in words. */
    static String firstDifference(List<String> want, List<String> got) {
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            if (i >= got.size()) {
                return "\"" + want.get(i) + "\" (put number " + (i + 1) + ", acknowledged) is missing"
                        + (want.size() - got.size() > 1 ? ", and " + (want.size() - got.size() - 1) + " after it" : "");
            }
            if (i >= want.size()) {
                return "\"" + got.get(i) + "\" is there but its put was never acknowledged";
            }
            if (!want.get(i).equals(got.get(i))) {
                return "value number " + (i + 1) + " is \"" + got.get(i) + "\" where \"" + want.get(i)
                        + "\" was acknowledged";
            }
        }
        return "no difference";
    }

}
