package tinykv.kv.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The open snapshots and iterators of an engine (or the iterators of a snapshot). RocksDB crashes the JVM
 * when a DB is closed under an open iterator, or an iterator is used after its DB is gone; so closing
 * an owner first closes everything it handed out, and what was handed out then refuses to be used.
 */
final class OwnedResources {

    /** Something an engine or snapshot handed out that holds native memory. */
    interface Resource {
        void close();
    }

    private final Set<Resource> open = new LinkedHashSet<>();

    void add(Resource resource) {
        open.add(resource);
    }

    void remove(Resource resource) {
        open.remove(resource);
    }

    /** Closes every resource still open, newest first (iterators of a snapshot before the snapshot). */
    void closeAll() {
        List<Resource> newestFirst = new ArrayList<>(open);
        Collections.reverse(newestFirst);
        for (Resource resource : newestFirst) {
            resource.close();
        }
        open.clear();
    }

    int count() {
        return open.size();
    }
}
