package tinykv.determinism;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The determinism contract as ArchUnit rules: code under {@code skeleton/} and {@code reference/}
 * gets time, timers, threads and randomness only from what it is handed, so that every cluster test is
 * a pure function of (test, seed).
 *
 * <p>One set of rules for three checks: {@code DeterminismTest} ({@code make test}) on every main class,
 * {@link StudentClassRules} on the student's classes before every lab run ({@code make lab2aa}) and in every
 * grade.
 */
public final class DeterminismRules {
    private DeterminismRules() {}

    /** Why the rules hold, as every report of a broken one ends. */
    public static final String WHY = "time, threads and randomness are handed in (a seeded RandomGenerator,"
            + " the runtime's clock and mailboxes), so that every test replays exactly from its seed";

    /** No threads of any kind, and nothing that runs code on one behind your back. */
    public static final ArchRule NO_THREADS = noClasses()
            .should().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().dependOnClassesThat().areAssignableTo(Executor.class)
            .orShould().dependOnClassesThat().belongToAnyOf(
                    java.util.concurrent.Executors.class, ForkJoinPool.class, Timer.class,
                    CompletableFuture.class, LockSupport.class)
            .because(WHY).as("no threads: no Thread, Executor, ForkJoinPool, Timer, CompletableFuture or LockSupport");

    /** No sleeping or blocking waits. */
    public static final ArchRule NO_BLOCKING = noClasses()
            .should().callMethodWhere(target(name("wait")).and(target(owner(type(Object.class)))))
            .because(WHY).as("no blocking waits: no Object.wait");

    /** No reading of the wall clock. */
    public static final ArchRule NO_WALL_CLOCK = noClasses()
            .should().callMethodWhere(target(owner(type(System.class)))
                    .and(target(name("currentTimeMillis")).or(target(name("nanoTime")))))
            .orShould().callMethodWhere(target(name("now")).and(target(owner(inPackage("java.time")))))
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
            .because(WHY).as("no wall clock: no System.currentTimeMillis/nanoTime, java.time's now() or Clock");

    /** No random source of its own: only the seeded RandomGenerator that is handed in. */
    public static final ArchRule NO_OWN_RANDOMNESS = noClasses()
            .should().dependOnClassesThat().belongToAnyOf(
                    Random.class, SplittableRandom.class, SecureRandom.class, ThreadLocalRandom.class,
                    java.util.random.RandomGeneratorFactory.class)
            .orShould().callMethodWhere(target(name("random"))
                    .and(target(owner(type(Math.class)).or(owner(type(StrictMath.class))))))
            .orShould().callMethodWhere(target(name("of")).and(target(owner(type(java.util.random.RandomGenerator.class)))))
            .orShould().callMethodWhere(target(name("getDefault")).and(target(owner(type(java.util.random.RandomGenerator.class)))))
            .because(WHY).as("no random source of your own: no new Random(), SplittableRandom, SecureRandom,"
                    + " ThreadLocalRandom, Math.random() or RandomGenerator.of/getDefault");

    public static final List<ArchRule> ALL = List.of(NO_THREADS, NO_BLOCKING, NO_WALL_CLOCK, NO_OWN_RANDOMNESS);

    private static DescribedPredicate<JavaClass> type(Class<?> type) {
        return DescribedPredicate.describe(type.getName(), javaClass -> javaClass.isEquivalentTo(type));
    }

    private static DescribedPredicate<JavaClass> inPackage(String packageName) {
        return DescribedPredicate.describe("in " + packageName, javaClass -> javaClass.getPackageName().equals(packageName));
    }
}
