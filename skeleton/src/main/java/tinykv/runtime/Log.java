package tinykv.runtime;

import java.util.Locale;

/**
 * Logging stamped with virtual time and place: {@code [  12.350s] store 3 region 1 peer 7  INFO  became
 * leader at term 5}. Off unless {@code make ... LOG_LEVEL=debug|info|warn|error} (the system property
 * {@code tinykv.log}) turns it on, so a quiet test stays fast.
 */
public final class Log {
    /** The system property the Makefile's {@code LOG_LEVEL} sets. */
    public static final String PROPERTY = "tinykv.log";

    /** Levels in increasing severity; a logger prints its threshold and above. */
    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    private final EventLoop loop;
    private final String where;
    private final Level threshold;

    private Log(EventLoop loop, String where, Level threshold) {
        this.loop = loop;
        this.where = where;
        this.threshold = threshold;
    }

    /** A logger for one place on a loop, e.g. {@code Log.of(loop, "region 1 peer 7")}. */
    public static Log of(EventLoop loop, String where) {
        String place = where.isEmpty() ? loop.name() : loop.name() + " " + where;
        return new Log(loop, place, configuredLevel());
    }

    public boolean isEnabled(Level level) {
        return level.compareTo(threshold) >= 0 && level != Level.OFF;
    }

    public void debug(String format, Object... args) {
        log(Level.DEBUG, format, args);
    }

    public void info(String format, Object... args) {
        log(Level.INFO, format, args);
    }

    public void warn(String format, Object... args) {
        log(Level.WARN, format, args);
    }

    public void error(String format, Object... args) {
        log(Level.ERROR, format, args);
    }

    private void log(Level level, String format, Object... args) {
        if (isEnabled(level)) {
            String message = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
            System.out.printf(Locale.ROOT, "[%9.3fs] %s %5s %s%n", loop.now() / 1000.0, where, level, message);
        }
    }

    /** The level named by {@link #PROPERTY}; an unknown name is an error, not a silent "off". */
    static Level configuredLevel() {
        String name = System.getProperty(PROPERTY, "").trim();
        if (name.isEmpty()) {
            return Level.OFF;
        }
        try {
            return Level.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " (LOG_LEVEL) must be one of debug, info, warn, error, off; was '" + name + "'", e);
        }
    }
}
