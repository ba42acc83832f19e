package tinykv.raft;

/**
 * What a leader knows of one follower's log (Raft §5.3): the follower holds the leader's log up to
 * {@code match}, and the next entry to send it is {@code next}.
 *
 * <p>Invariant while the follower is healthy: {@code match < next}. A fresh leader sets
 * {@code next = lastIndex + 1} and {@code match = 0} for every follower.
 */
public final class Progress {
    /** The highest index known to be replicated on the follower. */
    public long match;
    /** The index of the next entry to send to the follower. */
    public long next;

    public Progress(long match, long next) {
        this.match = match;
        this.next = next;
    }

    /**
     * Records that the follower acknowledged entries up to {@code index}.
     *
     * @return whether {@code match} moved forward (so the leader may be able to commit more)
     */
    public boolean maybeUpdate(long index) {
        boolean updated = match < index;
        if (updated) {
            match = index;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** A copy, so that callers outside Raft cannot change the leader's bookkeeping. */
    public Progress copy() {
        return new Progress(match, next);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Progress that && match == that.match && next == that.next;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(match) * 31 + Long.hashCode(next);
    }

    @Override
    public String toString() {
        return "Progress{match=" + match + ", next=" + next + "}";
    }
}
