package tinykv.scheduler.operator;

/** What an operator does and why (TinyKV's {@code OpKind} bits); an operator has a set of them. */
public enum OpKind {
    /** Moves a leader. */
    LEADER,
    /** Adds or removes peers. */
    REGION,
    /** Made by a balance scheduler. */
    BALANCE,
    /** Asked for by an administrator: wins over others. */
    ADMIN,
    /** Made to restore the number of replicas. */
    REPLICA
}
