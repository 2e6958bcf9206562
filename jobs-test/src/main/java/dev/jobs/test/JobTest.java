package dev.jobs.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a {@link JobHarness}: declare it as a parameter of a test method (or of the
 * constructor). Each test gets its own harness on a throwaway directory, closed and deleted after
 * the test.
 *
 * <pre>{@code
 * @JobTest
 * class MyJobTest {
 *     @Test
 *     void resumesCorrectly(JobHarness harness) {
 *         harness.assertResumesCorrectly(() -> new MyJob(List.of("a", "b", "c")));
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(JobTestExtension.class)
public @interface JobTest {}
