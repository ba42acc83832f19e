package tinykv.labs;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import tinykv.sim.RunTrace;
import tinykv.sim.ThreadScope;

/**
 * Makes the running test's configuration parameter {@code tinykv.seed} the seed {@link Seeds#current()}
 * returns, around every piece of the test's own code (constructor, lifecycle methods, the test), on the
 * thread that runs it. So a seed travels with the launcher request that runs the test, never through a
 * system property set by the runner. The same scope carries the run's event trace when two runs of one seed
 * are to be compared ({@link RunTrace}).
 *
 * <p>Registered for every test through {@code META-INF/services} (JUnit's extension auto-detection).
 */
public final class SeedParameter implements InvocationInterceptor {

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation,
            ReflectiveInvocationContext<Constructor<T>> call, ExtensionContext context) throws Throwable {
        return withSeed(invocation, context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        withSeed(invocation, context);
    }

    /** The seed of the test (or class) the context belongs to. */
    public static long seedOf(ExtensionContext context) {
        return Seeds.parse(context.getConfigurationParameter(Seeds.PROPERTY));
    }

    /** The seed, and the run's trace when one is recorded ({@link RunTrace}: two runs of a seed compared). */
    private static <T> T withSeed(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        long seed = seedOf(context);
        try (ThreadScope<Long> scope = Seeds.use(seed); ThreadScope<RunTrace> trace = RunTrace.use(context, seed)) {
            return invocation.proceed();
        }
    }
}
