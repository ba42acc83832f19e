package tinykv.history;

import java.util.Objects;

/**
 * One client operation of a history: what was asked, what came back, and when, as positions on one clock.
 *
 * <p>{@code call} and {@code ret} order the operation against the others: an operation whose answer came
 * before another's call happened before it. The recorder gives every call and answer its own position, so
 * two positions never tie; hand-written histories may tie, and then the two operations count as concurrent.
 *
 * @param id     the operation's number in its history, for reports (unique within a history)
 * @param client who issued it, for reports and the timeline
 * @param input  what the client asked
 * @param output what came back, or null if no answer came (the operation may or may not have taken effect)
 * @param call   when it was called
 * @param ret    when its answer came; {@link #PENDING} if none came
 * @param <I>    the model's operations
 * @param <O>    the model's answers
 */
public record Operation<I, O>(int id, String client, I input, O output, long call, long ret) {
    /** The answer time of an operation whose answer never came: after everything else. */
    public static final long PENDING = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(input, "input");
        if (output == null && ret != PENDING) {
            throw new IllegalArgumentException("operation " + id + " (" + input + " by " + client
                    + ") has an answer time " + ret + " but no answer");
        }
        if (output != null && ret == PENDING) {
            throw new IllegalArgumentException("operation " + id + " (" + input + " by " + client
                    + ") has an answer (" + output + ") but no answer time");
        }
        if (ret < call) {
            throw new IllegalArgumentException("operation " + id + " (" + input + " by " + client
                    + ") is answered at " + ret + ", before its call at " + call);
        }
    }

    /** An operation answered with {@code output}. */
    public static <I, O> Operation<I, O> answered(int id, String client, I input, O output, long call, long ret) {
        return new Operation<>(id, client, input, Objects.requireNonNull(output, "output"), call, ret);
    }

    /** An operation whose answer never came. */
    public static <I, O> Operation<I, O> pending(int id, String client, I input, long call) {
        return new Operation<>(id, client, input, null, call, PENDING);
    }

    public boolean isPending() {
        return output == null;
    }

    @Override
    public String toString() {
        return "#" + id + " " + client + ": " + input + " -> " + (isPending() ? "(no answer)" : output) + " ["
                + call + ", " + (isPending() ? "..." : ret) + "]";
    }
}
