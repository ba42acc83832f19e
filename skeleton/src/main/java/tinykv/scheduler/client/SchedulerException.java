package tinykv.scheduler.client;

/** The scheduler refused a request: the cluster is not bootstrapped, a store is unknown, and so on. */
public final class SchedulerException extends RuntimeException {
    public SchedulerException(String message) {
        super(message);
    }
}
