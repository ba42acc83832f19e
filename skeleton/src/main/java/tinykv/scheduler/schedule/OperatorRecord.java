package tinykv.scheduler.schedule;

import static java.util.Objects.requireNonNull;

import tinykv.proto.schedulerpb.OperatorStatus;
import tinykv.scheduler.operator.Operator;

/**
 * What became of a region's operator: running, or how it ended (TinyKV's {@code OperatorWithStatus}).
 *
 * @param operator the operator
 * @param status   {@code RUNNING}, or how it ended: {@code SUCCESS}, {@code TIMEOUT}, {@code CANCEL},
 *                 {@code REPLACE}
 * @param reason   why it ended, in words (empty while running or after success)
 */
public record OperatorRecord(Operator operator, OperatorStatus status, String reason) {
    public OperatorRecord {
        requireNonNull(operator, "operator");
        requireNonNull(status, "status");
        requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return status + (reason.isEmpty() ? "" : " (" + reason + ")") + ": " + operator;
    }
}
