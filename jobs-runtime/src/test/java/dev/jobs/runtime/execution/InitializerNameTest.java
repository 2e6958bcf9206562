package dev.jobs.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobHandler;
import dev.jobs.runtime.JobInitializer;
import org.junit.jupiter.api.Test;

/** How a failed run's error names the job initializer: by class, or by the class a lambda is in. */
class InitializerNameTest {

    static final class Services implements JobInitializer {
        @Override
        public void initialize(JobHandler<?> job) {}
    }

    @Test
    void aClassIsNamedByItsName() {
        assertThat(JobRunner.describe(new Services()))
                .isEqualTo("the job initializer dev.jobs.runtime.execution.InitializerNameTest$Services");
    }

    @Test
    void aLambdaOrMethodReferenceIsNamedByTheClassItIsWrittenIn() {
        JobInitializer lambda = job -> {};
        JobInitializer reference = InitializerNameTest::ignore;

        assertThat(JobRunner.describe(lambda))
                .isEqualTo("the job initializer (a lambda in dev.jobs.runtime.execution.InitializerNameTest)");
        assertThat(JobRunner.describe(reference))
                .isEqualTo("the job initializer (a lambda in dev.jobs.runtime.execution.InitializerNameTest)");
    }

    private static void ignore(JobHandler<?> job) {}
}
