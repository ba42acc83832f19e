package tinykv.raft;

/** A student helper for make batch-check: Raft.java uses it, so the submission compiles only if it is graded. */
final class VoteTally {
    static final String NAME = "vote tally";

    private VoteTally() {}
}
