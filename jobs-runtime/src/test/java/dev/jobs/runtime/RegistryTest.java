package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.testjobs.StepJob;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {

    @Test
    void findsGeneratedRegistrationsThroughServiceLoader() {
        JobRegistry registry = JobRegistry.load(getClass().getClassLoader());
        assertThat(registry.names())
                .isSorted()
                .containsSubsequence(
                        "test.chatty",
                        "test.chatty_gate",
                        "test.count",
                        "test.failing",
                        "test.gate",
                        "test.params",
                        "test.self_cancel",
                        "test.steps",
                        "test.steps_once",
                        "test.versioned");
        assertThat(registry.require("test.steps").jobType()).isEqualTo(StepJob.class);
        assertThat(registry.require("test.steps").outputType()).isEqualTo(Long.class);
        assertThat(registry.schema("test.params")).contains("\"required\":[\"sources\",\"destination\"]");
        assertThat(registry.forJob(new StepJob()).name()).isEqualTo("test.steps");
    }

    @Test
    void unknownNameListsKnownNames() {
        JobRegistry registry = JobRegistry.load(getClass().getClassLoader());
        assertThatThrownBy(() -> registry.require("nope"))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("known jobs: " + String.join(", ", registry.names()));
    }

    @Test
    void twoRegistrationsWithOneNameFailNamingBothClassesAndLocations() {
        assertThatThrownBy(() -> JobRegistry.of(List.of(
                        new StubRegistration<>("dup", FirstJob.class, FirstJob::new),
                        new StubRegistration<>("dup", SecondJob.class, SecondJob::new))))
                .isInstanceOf(DuplicateJobException.class)
                .hasMessageContaining("job name 'dup' is registered twice")
                .hasMessageContaining(FirstJob.class.getName() + " (from ")
                .hasMessageContaining(SecondJob.class.getName() + " (from ")
                .hasMessageContaining("test-classes");
    }

    static class FirstJob implements JobHandler<String> {
        public String run(JobContext ctx) {
            return "1";
        }
    }

    static class SecondJob implements JobHandler<String> {
        public String run(JobContext ctx) {
            return "2";
        }
    }
}
