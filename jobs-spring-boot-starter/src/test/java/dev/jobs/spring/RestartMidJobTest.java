package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.spring.app.Ledger;
import dev.jobs.spring.app.LedgerApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application is stopped while a job runs and started again on the same SQLite file: the job
 * continues in the new context from its last checkpoint, with the new context's bean injected.
 */
class RestartMidJobTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .properties("server.port=0", "jobs.database=" + dir.resolve("jobs.db"), "jobs.workers=2")
                .properties(properties)
                .run();
    }

    @Test
    void aJobInterruptedByAContextShutdownResumesInTheNextContextWithoutRepeatingItsWork() throws Exception {
        UUID id;
        Ledger firstLedger;
        try (ConfigurableApplicationContext first = start("ledger.name=first", "ledger.hold-after=2")) {
            String port = first.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> response = Http.postJson(
                    "http://localhost:" + port + "/dispatch/ledger", "{\"account\":\"acme\",\"entries\":4}");
            assertThat(response.statusCode()).isEqualTo(202);
            id = UUID.fromString(response.body());
            firstLedger = first.getBean(Ledger.class);
            assertThat(firstLedger.awaitHeld(30)).as("the job reached its hold").isTrue();
        } // close(): the manager stops the job at its next interrupt point, its state saved

        assertThat(firstLedger.entries()).containsExactly("acme:0", "acme:1");

        try (ConfigurableApplicationContext second = start("ledger.name=second")) {
            JobManager jobs = second.getBean(JobManager.class);
            Ledger secondLedger = second.getBean(Ledger.class);

            assertThat(jobs.handle(id).result().get(30, TimeUnit.SECONDS))
                    .as("the resumed object had the second context's bean")
                    .isEqualTo("second:4");
            assertThat(secondLedger.entries())
                    .as("the entries saved before the shutdown are not written again")
                    .containsExactly("acme:2", "acme:3");
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(jobs.info(id).failedAttempts()).isZero();
        }
    }

    @Test
    void aJobWaitingForAContextThatFailsToStartGoesBackToTheQueueUnharmed() throws Exception {
        UUID id;
        try (ConfigurableApplicationContext first = start("ledger.name=first", "ledger.hold-after=1")) {
            id = first.getBean(JobManager.class)
                    .dispatchByName("ledger", "{\"account\":\"acme\",\"entries\":3}")
                    .id();
            assertThat(first.getBean(Ledger.class).awaitHeld(30)).isTrue();
        }

        assertThatThrownBy(() -> start("ledger.name=broken", "ledger.fail-on-start=true"))
                .hasRootCauseMessage("the application fails to start");

        try (JobManager client =
                JobManager.builder().database(dir.resolve("jobs.db")).client().build()) {
            JobInfo info = client.info(id);
            assertThat(info.status())
                    .as("stopped before run(), not failed, and not left running")
                    .isEqualTo(JobStatus.QUEUED);
            assertThat(info.failedAttempts()).isZero();
        }
        try (ConfigurableApplicationContext third = start("ledger.name=third")) {
            assertThat(third.getBean(JobManager.class).handle(id).result().get(30, TimeUnit.SECONDS))
                    .isEqualTo("third:3");
            assertThat(third.getBean(Ledger.class).entries()).containsExactly("acme:1", "acme:2");
        }
    }
}
