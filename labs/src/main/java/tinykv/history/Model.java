package tinykv.history;

import java.util.List;
import java.util.Optional;

/**
 * A sequential specification the checker holds a history against: from a state, an operation with its
 * answer either could have happened (and leads to a new state) or could not.
 *
 * <p>States are values: the checker remembers (linearized operations, state) pairs it has explored, so two
 * states that behave alike must be {@code equals} with equal hash codes, and a state is never changed in place.
 *
 * @param <I> operations
 * @param <O> answers
 * @param <S> states
 */
public interface Model<I, O, S> {

    S initial();

    /**
     * Checks once, before the search, that the model knows the operation and that its answer is one the
     * operation can give (a scan answered with a single value is not); {@link #step} may then take it for
     * granted.
     *
     * @throws IllegalArgumentException if not, naming the operation
     */
    default void validate(Operation<I, O> op) {}

    /**
     * The state after {@code op} if it can run on {@code state} and give its answer; empty if it cannot. A
     * pending operation (no answer) can always run, since nothing was seen of it. Called only on operations
     * that passed {@link #validate}.
     */
    Optional<S> step(S state, Operation<I, O> op);

    /**
     * Splits a history into parts that can be checked alone: a history is linearizable if and only if each part
     * is. The default keeps it whole.
     */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /**
     * {@link #step}, exactly: a model whose {@code step} may accept on a digest checks here what the digest
     * stood for. The checker replays the order it found through this before it says linearizable.
     */
    default Optional<S> stepExactly(S state, Operation<I, O> op) {
        return step(state, op);
    }

    /** Whether the operation changes nothing, so that it can be left out when its answer never came. */
    default boolean isReadOnly(Operation<I, O> op) {
        return false;
    }

    /** How an operation reads in a report. */
    default String describe(Operation<I, O> op) {
        return op.toString();
    }
}
