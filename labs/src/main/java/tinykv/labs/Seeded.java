package tinykv.labs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a simulated cluster test (on its class or method): its run depends on the seed ({@link Seeds#current()}),
 * so the grader runs it over several seeds and it scores only if every seed passes. Tests without it
 * (the Raft-level tests) run once, at the seed {@code make labNN} uses, since each is one fixed scenario.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Seeded {}
