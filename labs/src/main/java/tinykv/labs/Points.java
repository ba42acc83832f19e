package tinykv.labs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The points a staged test is worth in grading. On a test class it sets every test method's points; on a
 * method it overrides the class. A parameterized test is one test: it scores its points only if every
 * case passes. A test without the annotation is worth one point (the kit's scheme: one point per test).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Points {
    int value();
}
