package io.flocker.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class its own freshly made file-backed pools (fails, never
 * skips, outside the test guest). Inject {@link TestPool} (the first pool) or
 * {@link TestPools} (all of them) into constructors, lifecycle methods or tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestPoolExtension.class)
public @interface WithTestPools {
    /** How many pools. */
    int count() default 1;

    /** The size of each pool's sparse file, as truncate(1) takes it. */
    String size() default "512M";
}
