package tinykv.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import tinykv.scheduler.operator.OpKind;
import tinykv.scheduler.operator.OpStep;
import tinykv.scheduler.operator.Operator;

/** Checks of the operators a scheduler makes (TinyKV's {@code testutil/operator_check.go}). */
public final class OperatorChecks {
    private OperatorChecks() {}

    /**
     * {@code op} moves a peer from store {@code source} to store {@code target}: add on the target, then
     * remove from the source, with a leader transfer off the source in between if the source led. Its kinds
     * hold {@code kind} and REGION (and LEADER with the transfer).
     */
    public static void checkTransferPeer(Optional<Operator> op, OpKind kind, long source, long target) {
        String what = "operator moving a peer from store " + source + " to store " + target;
        assertThat(op).as("%s: the scheduler returned none", what).isPresent();
        Operator operator = op.get();
        assertThat(operator.len()).as("steps of the %s: %s", what, operator).isIn(2, 3);
        assertThat(operator.step(0)).as("first step of the %s: %s", what, operator)
                .isInstanceOfSatisfying(OpStep.AddPeer.class, add -> assertThat(add.toStore())
                        .as("store of the first step (add peer) of %s", operator).isEqualTo(target));
        if (operator.len() == 3) {
            assertThat(operator.step(1)).as("second step of the %s: %s", what, operator)
                    .isInstanceOfSatisfying(OpStep.TransferLeader.class, transfer -> assertThat(transfer.fromStore())
                            .as("store the leader leaves in %s", operator).isEqualTo(source));
            assertThat(operator.kinds()).as("kinds of %s", operator).contains(OpKind.LEADER);
        }
        assertThat(operator.step(operator.len() - 1)).as("last step of the %s: %s", what, operator)
                .isInstanceOfSatisfying(OpStep.RemovePeer.class, remove -> assertThat(remove.fromStore())
                        .as("store of the last step (remove peer) of %s", operator).isEqualTo(source));
        assertThat(operator.kinds()).as("kinds of %s", operator).contains(kind, OpKind.REGION);
    }

    /** {@link #checkTransferPeer}, and the source led the region: the leader moves off it first (3 steps). */
    public static void checkTransferPeerWithLeaderTransfer(Optional<Operator> op, OpKind kind, long source,
            long target) {
        assertThat(op).as("operator moving a peer and the leader from store %d to store %d: the scheduler returned "
                + "none", source, target).isPresent();
        assertThat(op.get().len()).as("steps of %s (add peer, transfer leader, remove peer)", op.get()).isEqualTo(3);
        checkTransferPeer(op, kind, source, target);
    }
}
