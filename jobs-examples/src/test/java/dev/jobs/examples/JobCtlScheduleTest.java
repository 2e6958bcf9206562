package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.RetryPolicy;
import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobctl's schedules, and what list and status say about delayed, retrying and scheduled jobs. */
@org.junit.jupiter.api.Timeout(value = 3, unit = TimeUnit.MINUTES)
class JobCtlScheduleTest {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    private String checksumParams() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "abc");
        return "{\"files\":[\"" + file + "\"]}";
    }

    private void createDatabase() {
        JobManager.builder().database(db()).client().build().close();
    }

    private static UUID idFrom(String out) {
        Matcher m = Pattern.compile("job ([0-9a-f-]{36})").matcher(out);
        assertThat(m.find()).as("an id in: " + out).isTrue();
        return UUID.fromString(m.group(1));
    }

    private void assertNoSchedules() {
        Cli.Result listed = Cli.run(db(), "schedule", "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("no schedules");
    }

    @Test
    void scheduleAddListPauseResumeRunNowAndRemoveRoundTrip() throws Exception {
        Cli.Result added = Cli.run(
                db(),
                "schedule",
                "add",
                "nightly",
                "--cron",
                "0 2 * * *",
                "--zone",
                "Europe/Paris",
                "checksum",
                checksumParams(),
                "--catch-up",
                "all",
                "--cap",
                "5",
                "--overlap",
                "queue");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out())
                .startsWith("schedule nightly: cron 0 2 * * * Europe/Paris, job checksum")
                .contains("catch-up ALL(5), overlap QUEUE, priority NORMAL");
        assertThat(added.out().lines().toList().get(1)).isEqualTo("next run: pending (a worker computes it)");

        Cli.Result listed = Cli.run(db(), "schedule", "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out().lines().toList().get(0))
                .matches("NAME +SCHEDULE +JOB +CATCH-UP +OVERLAP +PAUSED +NEXT RUN +LAST TICK +DROPPED");
        assertThat(listed.out().lines().toList().get(1))
                .matches("nightly +cron 0 2 \\* \\* \\* Europe/Paris +checksum +ALL\\(5\\) +QUEUE +no"
                        + " +pending \\(a worker computes it\\) +- +0");

        assertThat(Cli.run(db(), "schedule", "pause", "nightly").out()).isEqualTo("paused schedule nightly\n");
        assertThat(Cli.run(db(), "schedule", "list").out().lines().toList().get(1))
                .matches("nightly .* yes +- +- +0");
        assertThat(Cli.run(db(), "schedule", "resume", "nightly").out())
                .startsWith("resumed schedule nightly; next run: ");
        assertThat(Cli.run(db(), "schedule", "list").out().lines().toList().get(1))
                .contains(" no ");

        Cli.Result now = Cli.run(db(), "schedule", "run-now", "nightly");
        assertThat(now.exit()).as(now.err()).isZero();
        UUID id = idFrom(now.out());
        assertThat(now.out()).isEqualTo("job " + id + " (checksum) queued for schedule nightly\n");
        Cli.Result status = Cli.run(db(), "status", id.toString());
        assertThat(status.out()).contains("status:     QUEUED", "schedule:   nightly, tick of ");

        assertThat(Cli.run(db(), "schedule", "rm", "nightly").out()).isEqualTo("deleted schedule nightly\n");
        assertNoSchedules();
        assertThat(Cli.run(db(), "list").out())
                .as("the jobs a schedule created stay")
                .contains(id.toString());
    }

    @Test
    void scheduleAddWithEveryShowsTheIntervalAndIsDueAtOnce() throws Exception {
        Cli.Result added = Cli.run(db(), "schedule", "add", "often", "--every", "5m", "checksum", checksumParams());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out())
                .startsWith("schedule often: every PT5M, job checksum")
                .contains("catch-up ONCE, overlap SKIP")
                .endsWith("next run: due now\n");
    }

    @Test
    void scheduleAddWithoutASchedulingOptionIsAUsageErrorAndStoresNothing() throws Exception {
        createDatabase();
        Cli.Result r = Cli.run(db(), "schedule", "add", "x", "checksum", checksumParams());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "jobctl: give one of --cron, --every and --fixed-delay", "Try 'jobctl schedule add --help'.");
        assertNoSchedules();
    }

    @Test
    void scheduleAddWithTwoSchedulingOptionsIsAUsageErrorAndStoresNothing() throws Exception {
        createDatabase();
        Cli.Result r = Cli.run(
                db(), "schedule", "add", "x", "--cron", "0 2 * * *", "--every", "5m", "checksum", checksumParams());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "jobctl: --cron and --every cannot be combined; give one of --cron, --every and --fixed-delay");
        assertNoSchedules();
    }

    @Test
    void scheduleAddWithAnInvalidCronQuotesWhatIsWrongAndStoresNothing() throws Exception {
        createDatabase();
        Cli.Result r = Cli.run(db(), "schedule", "add", "x", "--cron", "0 25 * * *", "checksum", checksumParams());
        assertThat(r.exit()).isEqualTo(2);
        String message = r.err().lines().findFirst().orElseThrow();
        assertThat(message)
                .startsWith("jobctl: invalid value for option '--cron': ")
                .contains("0 25 * * *");
        assertThat(r.err().lines()).hasSize(2);
        assertNoSchedules();
    }

    @Test
    void scheduleAddWithAnInvalidDurationIsAUsageError() throws Exception {
        createDatabase();
        Cli.Result r = Cli.run(db(), "schedule", "add", "x", "--every", "soon", "checksum", checksumParams());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .startsWith("jobctl: invalid value for option '--every': ");
        assertNoSchedules();
    }

    @Test
    void scheduleAddOfAnUnknownJobExits3AndStoresNothing() {
        Cli.Result r = Cli.run(db(), "schedule", "add", "x", "--every", "5m", "checksm", "{}");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("jobctl: unknown job 'checksm'").doesNotContain("\n");
        assertNoSchedules();
    }

    @Test
    void scheduleAddWithMalformedJsonExits4AndStoresNothing() {
        Cli.Result r = Cli.run(db(), "schedule", "add", "x", "--every", "5m", "checksum", "{\"files\": [");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err().strip())
                .startsWith("jobctl: invalid parameters for job 'checksum'")
                .doesNotContain("\n");
        assertNoSchedules();
    }

    @Test
    void scheduleCommandsOnAMissingScheduleExit3() {
        createDatabase();
        for (String command : new String[] {"pause", "resume", "rm", "run-now"}) {
            Cli.Result r = Cli.run(db(), "schedule", command, "nope");
            assertThat(r.exit()).as(command).isEqualTo(3);
            assertThat(r.err().strip())
                    .as(command)
                    .isEqualTo("jobctl: no schedule is called 'nope'; `jobctl schedule list` shows the schedules");
        }
    }

    @Test
    void listShowsWhenADelayedJobRuns() throws Exception {
        JobInfo job;
        try (JobManager jobs = JobManager.builder().database(db()).client().build()) {
            UUID id = jobs.dispatchByName(
                            "checksum",
                            checksumParams(),
                            DispatchOptions.defaults().delay(Duration.ofHours(2)))
                    .id();
            job = jobs.info(id);
        }
        String at = TIME.format(job.runAt().orElseThrow());
        Cli.Result listed = Cli.run(db(), "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(job.id() + "  checksum      QUEUED").contains("runs at " + at);
        assertThat(Cli.run(db(), "status", job.id().toString()).out()).contains("runs at:    " + at);
    }

    /** A checksum of a missing file fails; with 3 attempts an hour apart it then waits for its retry. */
    private JobInfo failedOnceAndWaitingForItsRetry() throws Exception {
        String params = "{\"files\":[\"" + dir.resolve("gone") + "\"]}";
        RetryPolicy policy = RetryPolicy.attempts(3)
                .withBackoff(Duration.ofHours(1), Duration.ofHours(1), 1.0)
                .withJitter(0);
        try (JobManager jobs = JobManager.builder().database(db()).workers(1).build()) {
            UUID id = jobs.dispatchByName(
                            "checksum", params, DispatchOptions.defaults().retry(policy))
                    .id();
            Instant deadline = Instant.now().plusSeconds(60);
            while (jobs.info(id).failedAttempts() < 1) {
                assertThat(Instant.now()).as("the first attempt fails").isBefore(deadline);
                Thread.sleep(50);
            }
            return jobs.info(id);
        }
    }

    @Test
    void statusShowsTheFailedAttemptsAndTheNextRetry() throws Exception {
        JobInfo job = failedOnceAndWaitingForItsRetry();
        assertThat(job.retrying()).isTrue();
        Cli.Result status = Cli.run(db(), "status", job.id().toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out())
                .contains("status:     QUEUED")
                .contains("next retry: " + TIME.format(job.runAt().orElseThrow()) + " (attempt 2 of 3)")
                .contains("attempts:   1 of 3, 1 failed")
                .contains("failures:\n  attempt 1 at "
                        + TIME.format(job.failures().get(0).at()) + ": ")
                .contains("the only file could not be hashed")
                .doesNotContain("\tat ")
                .doesNotContain("      at ");
    }

    @Test
    void statusWithTraceShowsTheTraceHeadOfEachFailedAttempt() throws Exception {
        JobInfo job = failedOnceAndWaitingForItsRetry();
        Cli.Result status = Cli.run(db(), "status", job.id().toString(), "--trace");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("      at ");
    }

    @Test
    void listShowsARetryingJobsNextAttemptAndTime() throws Exception {
        JobInfo job = failedOnceAndWaitingForItsRetry();
        Cli.Result listed = Cli.run(db(), "list");
        assertThat(listed.out())
                .contains("retry 2/3 at " + TIME.format(job.runAt().orElseThrow()) + " | ")
                .contains("the only file could not be hashed");
    }

    @Test
    void workerForeverTicksTheSchedulesAndComputesTheNextCronRun() throws Exception {
        Cli.Result added = Cli.run(db(), "schedule", "add", "tick", "--every", "1s", "checksum", checksumParams());
        assertThat(added.exit()).as(added.err()).isZero();
        String params = "{\"files\":[\"" + dir.resolve("a.txt") + "\"]}";
        assertThat(Cli.run(db(), "schedule", "add", "nightly", "--cron", "0 2 * * *", "checksum", params)
                        .exit())
                .isZero();
        Process worker = Cli.start(db(), "worker", "--forever");
        try {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!Cli.run(db(), "list", "--status", "COMPLETED").out().contains("checksum")) {
                assertThat(Instant.now()).as("a scheduled job completes").isBefore(deadline);
                Thread.sleep(200);
            }
        } finally {
            worker.destroy();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        java.util.List<String> rows =
                Cli.run(db(), "schedule", "list").out().lines().toList();
        assertThat(rows.get(2)).matches("tick +every PT1S .* \\d\\d:\\d\\d:\\d\\d +\\d+");
        assertThat(rows.get(1))
                .as("a worker has computed the next 02:00")
                .matches("nightly +cron 0 2 .* no +\\d{4}-\\d\\d-\\d\\d 02:00:00 +- +0");
    }
}
