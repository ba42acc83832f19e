package tinykv.grading;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether {@code JOBS} lab parts graded at once fit this machine: each has one forked JVM at a time, with the
 * heap cap {@code HEAP}, so they need jobs × heap of memory. Too many is refused with what would fit; the
 * default (one job per core) is lowered to what fits.
 */
final class JobsFit {
    private JobsFit() {}

    /** Refuses {@code jobs} forks of {@code heap} each when the machine's memory cannot hold them. */
    static void check(int jobs, String heap) {
        check(jobs, heap, physicalMemory());
    }

    static void check(int jobs, String heap, long memory) {
        long need = jobs * bytes(heap);
        if (need > memory) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "JOBS=%d does not fit: %d forks with HEAP=%s need %.1f GiB, and this machine has %.1f GiB; "
                            + "JOBS=%d fits (or lower HEAP)", jobs, jobs, heap, need / GIB, memory / GIB,
                    Math.max(1, fitting(heap, memory))));
        }
    }

    /** How many forks of {@code heap} this machine's memory holds, at least one. */
    static int fitting(String heap, long memory) {
        return (int) Math.max(1, memory / bytes(heap));
    }

    static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Long.MAX_VALUE; // unknown: trust the caller
    }

    /** A size in -Xmx form (512m, 1g, 1024k) in bytes. */
    static long bytes(String heap) {
        String h = heap.trim().toLowerCase(Locale.ROOT);
        long unit = switch (h.charAt(h.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? h : h.substring(0, h.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    private static final double GIB = 1L << 30;
}
