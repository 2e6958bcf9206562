package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The {@code jobs} health indicator and endpoint, and when they are left out. */
class JobsActuatorAutoConfigurationTest {

    @TempDir
    Path dir;

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(JobsAutoConfiguration.class, JobsActuatorAutoConfiguration.class))
                .withPropertyValues(
                        "jobs.database=" + dir.resolve("jobs.db"),
                        "jobs.workers=2",
                        "management.endpoints.web.exposure.include=jobs");
    }

    @Test
    void withActuatorTheHealthIndicatorAndTheEndpointAreThere() {
        runner().run(context -> {
            assertThat(context).hasBean("jobsHealthIndicator").hasSingleBean(JobsEndpoint.class);
            Health health = context.getBean("jobsHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("running", 0).doesNotContainKey("stuck");
            assertThat(context.getBean(JobsEndpoint.class).active().count()).isZero();
        });
    }

    @Test
    void theEndpointListsActiveJobsWithTheirProgress() {
        runner().withBean(GreetJob.Greeter.class, () -> who -> "hello " + who)
                .withPropertyValues("jobs.client=true") // nothing runs: the job stays queued
                .run(context -> {
                    JobManager jobs = context.getBean(JobManager.class);
                    var id = jobs.dispatch(new GreetJob("dee")).id();

                    JobsEndpoint.ActiveJobs active =
                            context.getBean(JobsEndpoint.class).active();
                    assertThat(active.count()).isEqualTo(1);
                    assertThat(active.jobs().get(0).id()).isEqualTo(id);
                    assertThat(active.jobs().get(0).name()).isEqualTo("greet");
                    assertThat(context.getBean(JobsEndpoint.class).job(id.toString()))
                            .extracting(JobsEndpoint.JobView::status)
                            .hasToString("QUEUED");
                    assertThat(context.getBean(JobsEndpoint.class).job("ffffffff-0000-0000-0000-000000000000"))
                            .isNull();
                });
    }

    @Test
    void aClosedManagerIsDown() {
        runner().run(context -> {
            context.getBean(JobManager.class).close();

            Health health = context.getBean("jobsHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void aRunningJobWhoseLeaseEndedMoreThanALeaseAgoIsStuck() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Duration lease = Duration.ofSeconds(15);

        assertThat(JobsHealthIndicator.stuck(Optional.of(now.minusSeconds(16)), now, lease))
                .isTrue();
        assertThat(JobsHealthIndicator.stuck(Optional.of(now.minusSeconds(14)), now, lease))
                .as("expired, but recovery may not have run yet")
                .isFalse();
        assertThat(JobsHealthIndicator.stuck(Optional.of(now.plusSeconds(10)), now, lease))
                .isFalse();
        assertThat(JobsHealthIndicator.stuck(Optional.empty(), now, lease)).isFalse();
    }

    @Test
    void withoutActuatorThereIsNeitherHealthIndicatorNorEndpoint() {
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class, Endpoint.class))
                .run(context -> assertThat(context)
                        .hasSingleBean(JobManager.class)
                        .doesNotHaveBean("jobsHealthIndicator")
                        .doesNotHaveBean(JobsEndpoint.class));
    }

    @Test
    void theHealthIndicatorCanBeDisabled() {
        runner().withPropertyValues("management.health.jobs.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("jobsHealthIndicator"));
    }

    @Test
    void anEndpointThatIsNotExposedIsNotCreated() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(JobsEndpoint.class));
    }
}
