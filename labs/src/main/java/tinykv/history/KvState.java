package tinykv.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The state of the key-value model: the value of each key that has one, per column family. A value that is
 * never changed: a put or delete makes a new state sharing all but one path with the old (a persistent treap,
 * so a change costs O(log n), not a copy of every key). Each node also keeps the number of entries and the sum
 * of their digests under it, so that "how many keys in this range, and what digest" takes O(log n): the checker
 * compares a scan's answer with the state by digest first, and checks the order it finally found entry by
 * entry ({@link KvModel#stepExactly}).
 */
final class KvState {
    static final KvState EMPTY = new KvState(null);

    /** A tree node. Keys are column family, a NUL, then the key: each family's keys together, in order. */
    private record Node(String slot, String value, long priority, Node left, Node right, int size, long digest) {
        static Node of(String slot, String value, long priority, Node left, Node right) {
            return new Node(slot, value, priority, left, right, 1 + KvState.size(left) + KvState.size(right),
                    entryDigest(slot, value) + KvState.digest(left) + KvState.digest(right));
        }

        Node with(Node newLeft, Node newRight) {
            return of(slot, value, priority, newLeft, newRight);
        }
    }

    /** How many entries of a range there are, and the sum of their digests. */
    record Summary(int count, long digest) {}

    private final Node root;

    private KvState(Node root) {
        this.root = root;
    }

    static String slot(String cf, String key) {
        return cf + '\0' + key;
    }

    /** One entry's digest: the same for the same key and value, wherever they come from. */
    static long entryDigest(String slot, String value) {
        return mix(mix(slot.hashCode()) ^ value.hashCode() * 0x9e3779b97f4a7c15L + value.length());
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int size(Node node) {
        return node == null ? 0 : node.size();
    }

    private static long digest(Node node) {
        return node == null ? 0 : node.digest();
    }

    // ---- reads -------------------------------------------------------------------------------------------

    /** The value of a key, or null if it has none. */
    String get(String cf, String key) {
        String slot = slot(cf, key);
        Node node = root;
        while (node != null) {
            int order = slot.compareTo(node.slot());
            if (order == 0) {
                return node.value();
            }
            node = order < 0 ? node.left() : node.right();
        }
        return null;
    }

    /** The default family's entries in [start, end) (empty end: to the end of the family): count and digest. */
    Summary summary(String start, String end) {
        String from = slot(KvInput.DEFAULT_CF, start);
        String to = end.isEmpty() ? slot(KvInput.DEFAULT_CF, "") + '\uffff' : slot(KvInput.DEFAULT_CF, end);
        long[] sum = new long[2];
        sumFrom(root, from, to, sum);
        return new Summary((int) sum[0], sum[1]);
    }

    /** Adds the entries of {@code node} in [from, to) to {@code sum}, whole subtrees at a time. */
    private static void sumFrom(Node node, String from, String to, long[] sum) {
        while (node != null) {
            if (node.slot().compareTo(from) < 0) {
                node = node.right();
            } else if (node.slot().compareTo(to) >= 0) {
                node = node.left();
            } else {
                sumAtLeast(node.left(), from, sum);
                sum[0]++;
                sum[1] += entryDigest(node.slot(), node.value());
                sumBelow(node.right(), to, sum);
                return;
            }
        }
    }

    /** Entries of {@code node} at or after {@code from} (all of them below {@code to}). */
    private static void sumAtLeast(Node node, String from, long[] sum) {
        while (node != null) {
            if (node.slot().compareTo(from) >= 0) {
                sum[0] += 1 + size(node.right());
                sum[1] += entryDigest(node.slot(), node.value()) + digest(node.right());
                node = node.left();
            } else {
                node = node.right();
            }
        }
    }

    /** Entries of {@code node} before {@code to} (all of them at or after the range's start). */
    private static void sumBelow(Node node, String to, long[] sum) {
        while (node != null) {
            if (node.slot().compareTo(to) < 0) {
                sum[0] += 1 + size(node.left());
                sum[1] += entryDigest(node.slot(), node.value()) + digest(node.left());
                node = node.right();
            } else {
                node = node.left();
            }
        }
    }

    /** The default family's entries in [start, end), in key order, as (key, value) without the family. */
    void forEachInRange(String start, String end, BiConsumer<String, String> action) {
        String from = slot(KvInput.DEFAULT_CF, start);
        String to = end.isEmpty() ? slot(KvInput.DEFAULT_CF, "") + '\uffff' : slot(KvInput.DEFAULT_CF, end);
        int prefix = slot(KvInput.DEFAULT_CF, "").length();
        walk(root, from, to, (slot, value) -> action.accept(slot.substring(prefix), value));
    }

    private static void walk(Node node, String from, String to, BiConsumer<String, String> action) {
        if (node == null) {
            return;
        }
        boolean afterFrom = node.slot().compareTo(from) >= 0;
        boolean beforeTo = node.slot().compareTo(to) < 0;
        if (afterFrom) {
            walk(node.left(), from, to, action);
        }
        if (afterFrom && beforeTo) {
            action.accept(node.slot(), node.value());
        }
        if (beforeTo) {
            walk(node.right(), from, to, action);
        }
    }

    // ---- changes -------------------------------------------------------------------------------------------

    KvState put(String cf, String key, String value) {
        String slot = slot(cf, key);
        if (value.equals(get(cf, key))) {
            return this;
        }
        Node[] below = split(root, slot);
        Node[] rest = split(below[1], slot + '\0'); // rest[0] holds the old entry of this key, if any
        Node entry = Node.of(slot, value, mix(slot.hashCode() * 0x632be59bd9b4e019L + slot.length()), null, null);
        return new KvState(merge(merge(below[0], entry), rest[1]));
    }

    KvState delete(String cf, String key) {
        if (get(cf, key) == null) {
            return this;
        }
        String slot = slot(cf, key);
        Node[] below = split(root, slot);
        Node[] rest = split(below[1], slot + '\0');
        return new KvState(merge(below[0], rest[1]));
    }

    /** The entries before {@code slot} and those from it on, copying only the path between them. */
    private static Node[] split(Node node, String slot) {
        if (node == null) {
            return new Node[] {null, null};
        }
        if (node.slot().compareTo(slot) < 0) {
            Node[] right = split(node.right(), slot);
            return new Node[] {node.with(node.left(), right[0]), right[1]};
        }
        Node[] left = split(node.left(), slot);
        return new Node[] {left[0], node.with(left[1], node.right())};
    }

    /** Joins two trees, every key of {@code a} before every key of {@code b}. */
    private static Node merge(Node a, Node b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.priority() >= b.priority()) {
            return a.with(a.left(), merge(a.right(), b));
        }
        return b.with(merge(a, b.left()), b.right());
    }

    // ---- value -------------------------------------------------------------------------------------------

    private List<String> entries() {
        List<String> all = new ArrayList<>();
        walk(root, "", "\uffff", (slot, value) -> {
            all.add(slot);
            all.add(value);
        });
        return all;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvState state && size(state.root) == size(root) && digest(state.root) == digest(root)
                && state.entries().equals(entries());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(digest(root));
    }

    @Override
    public String toString() {
        return entries().toString().replace('\0', ':');
    }
}
