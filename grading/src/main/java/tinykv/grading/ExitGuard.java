package tinykv.grading;

import java.security.Permission;

/**
 * Turns {@code System.exit} (and {@code Runtime.halt}) from a test into an exception, so that the test gets
 * the verdict "exited the JVM" and the tests after it still run. Needs the forked JVM to run with
 * {@code -Djava.security.manager=allow} (a SecurityManager is deprecated in Java 17 but still works);
 * without it the grader still names the test, from the fork's progress lines.
 */
final class ExitGuard extends SecurityManager {
    private volatile boolean allowExit;
    private volatile Integer attemptedStatus;

    /** Installs a guard, or returns null where this JVM does not allow one. */
    static ExitGuard install() {
        try {
            ExitGuard guard = new ExitGuard();
            System.setSecurityManager(guard);
            return guard;
        } catch (UnsupportedOperationException | SecurityException notAllowed) {
            return null;
        }
    }

    /** The status of a blocked exit since the last call, if any, and forgets it. */
    Integer takeAttempt() {
        Integer status = attemptedStatus;
        attemptedStatus = null;
        return status;
    }

    /** Lets the grader's own exit through. */
    void allowExit() {
        allowExit = true;
    }

    @Override
    public void checkExit(int status) {
        if (!allowExit) {
            attemptedStatus = status;
            throw new ExitAttempt(status);
        }
    }

    @Override
    public void checkPermission(Permission permission) {
        // Everything else is allowed: the guard is about exits only.
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
        // Everything else is allowed: the guard is about exits only.
    }

    /** Thrown at a test's {@code System.exit(status)} call. */
    static final class ExitAttempt extends SecurityException {
        ExitAttempt(int status) {
            super("System.exit(" + status + ") was called; a test must never end the JVM");
        }
    }
}
