package tinykv.scheduler.core;

import static java.util.Objects.requireNonNull;

import tinykv.proto.schedulerpb.ErrorType;

/**
 * The scheduler refused a request: the cluster is not bootstrapped, a store is unknown or tombstoned, a
 * region is unknown, a heartbeat is stale. The scheduler goes on serving; the caller gets this error, with
 * the {@link ErrorType} a response header would carry.
 */
public class SchedulerError extends RuntimeException {
    private final ErrorType type;

    public SchedulerError(ErrorType type, String message) {
        super(message);
        this.type = requireNonNull(type, "type");
    }

    /** The error type of the schedulerpb protocol ({@code UNKNOWN} for a plain bad request). */
    public ErrorType type() {
        return type;
    }

    /** {@code what} (the request, as "store heartbeat") named a store the scheduler does not know. */
    public static SchedulerError storeNotFound(String what, long storeId) {
        return new SchedulerError(ErrorType.UNKNOWN, what + ": store " + storeId + " not found");
    }

    /** {@code what} came from, or named, a store removed from the cluster for good. */
    public static SchedulerError storeTombstoned(String what, long storeId) {
        return new SchedulerError(ErrorType.STORE_TOMBSTONE, what + ": store " + storeId + " is tombstoned: it was "
                + "removed from the cluster for good");
    }

    public static SchedulerError notBootstrapped(long clusterId) {
        return new SchedulerError(ErrorType.NOT_BOOTSTRAPPED, "cluster " + clusterId + " is not bootstrapped");
    }

    public static SchedulerError badRequest(String message) {
        return new SchedulerError(ErrorType.UNKNOWN, message);
    }
}
