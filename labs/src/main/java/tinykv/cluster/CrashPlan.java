package tinykv.cluster;

import java.util.Locale;

/**
 * When an armed store crashes: at its {@code points}-th crash point from the arming (each engine write and
 * each message it sends is one), or, with {@code afterAck}, right after the first vote or append response it
 * sends, if that comes sooner. Drawn from the seed by the crash schedules, or written by a test.
 *
 * @param points   the crash point to stop at, counting from 1; the fallback for {@code afterAck}
 * @param afterAck whether the store stops right after it next votes or acknowledges appends
 */
record CrashPlan(int points, boolean afterAck) {
    CrashPlan {
        if (points < 1) {
            throw new IllegalArgumentException("a crash plan stops at crash point 1 or later, was " + points);
        }
    }

    static CrashPlan atPoint(int points) {
        return new CrashPlan(points, false);
    }

    static CrashPlan afterNextAck(int fallbackPoints) {
        return new CrashPlan(fallbackPoints, true);
    }

    @Override
    public String toString() {
        return afterAck
                ? String.format(Locale.ROOT, "right after its next vote or append response (or at crash point %d)", points)
                : String.format(Locale.ROOT, "at crash point %d (its writes and sends from now)", points);
    }
}
