package dev.jobs.runtime;

import static dev.jobs.runtime.Support.count;
import static dev.jobs.runtime.Support.open;
import static dev.jobs.runtime.Support.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.InvalidParametersException;
import dev.jobs.JobStatus;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.ParamsJob;
import dev.jobs.runtime.testjobs.StepJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    @Test
    void unknownJobNameListsKnownNamesAndWritesNothing() throws Exception {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName("file_cpy", "{}"))
                    .isInstanceOf(UnknownJobException.class)
                    .hasMessageContaining("unknown job 'file_cpy'")
                    .hasMessageContainingAll("test.gate", "test.params", "test.self_cancel", "test.steps");
        }
        assertThat(count(db(), "SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void malformedJsonIsRejectedWithPosition() throws Exception {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName("test.params", "{\"sources\": [\"a\""))
                    .isInstanceOf(InvalidParametersException.class)
                    .hasMessageContaining("invalid parameters for job 'test.params'")
                    .hasMessageContaining("malformed JSON");
        }
        assertThat(count(db(), "SELECT count(*) FROM jobs")).isZero();
    }

    @Test
    void wrongTypeNamesTheField() {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName(
                            "test.params",
                            "{\"sources\":[\"a\"],\"destination\":\"b\",\"options\":{\"retries\":\"many\"}}"))
                    .isInstanceOf(InvalidParametersException.class)
                    .hasMessageContaining("field 'options.retries'")
                    .hasMessageContaining("expected an integer")
                    .extracting(e -> ((InvalidParametersException) e).field())
                    .isEqualTo("options.retries");
        }
    }

    @Test
    void missingRequiredParameterNamesTheField() {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName("test.params", "{\"sources\":[\"a\"]}"))
                    .isInstanceOf(InvalidParametersException.class)
                    .hasMessageContaining("field 'destination': is required but missing");
        }
    }

    @Test
    void unknownParameterIsRejectedAsLikelyTypo() {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName(
                            "test.params", "{\"sources\":[\"a\"],\"destination\":\"b\",\"destinaton\":\"c\"}"))
                    .isInstanceOf(InvalidParametersException.class)
                    .hasMessageContaining(
                            "field 'destinaton': is not a parameter; the job's parameters are: sources, destination, mode, options, weights");
        }
    }

    @Test
    void invalidEnumValueListsAllowedValues() {
        try (JobManager jobs = open(db())) {
            assertThatThrownBy(() -> jobs.dispatchByName(
                            "test.params", "{\"sources\":[],\"destination\":\"b\",\"mode\":\"TURBO\"}"))
                    .hasMessageContaining("field 'mode': 'TURBO' is not one of FAST, SAFE");
        }
    }

    @Test
    void validParametersAreBoundIncludingNestedRecordAndDefaults() throws Exception {
        try (JobManager jobs = open(db())) {
            JobHandle<?> handle = jobs.dispatchByName(
                    "test.params",
                    "{\"sources\":[\"a\",\"b\"],\"destination\":\"/tmp/x\",\"options\":{\"verify\":true,\"retries\":3},\"weights\":{\"a\":1.5}}");
            assertThat(handle.result().get(20, TimeUnit.SECONDS))
                    .isEqualTo(new ParamsJob.Summary(2, "/tmp/x", ParamsJob.Mode.SAFE, true, 3, 1));
        }
    }

    /**
     * Dispatches a {@link GateJob} under gate key {@code k} and pauses it while it waits for its
     * release gate, so the pause always lands: the job cannot finish before it is paused.
     */
    private static UUID dispatchAndPause(JobManager jobs, String k) throws InterruptedException {
        UUID id = jobs.dispatch(new GateJob(k)).id();
        assertThat(Gates.await(k + ".started", 20_000)).as("job %s started", id).isTrue();
        jobs.pause(id);
        Support.awaitStatus(jobs, id, JobStatus.PAUSED);
        return id;
    }

    @Test
    void corruptStateFailsOnlyThatJob() throws Exception {
        String k = UUID.randomUUID().toString();
        String h = UUID.randomUUID().toString();
        UUID corrupt;
        UUID healthy;
        try (JobManager jobs = open(db())) {
            corrupt = dispatchAndPause(jobs, k);
            healthy = dispatchAndPause(jobs, h);
        }
        sql(db(), "UPDATE jobs SET data = x'c1ffee' WHERE id = '" + corrupt + "'");
        try (JobManager jobs = open(db())) {
            Gates.open(h + ".release");
            jobs.resume(corrupt);
            jobs.resume(healthy);
            assertThat(jobs.handle(healthy).result().get(20, TimeUnit.SECONDS)).isEqualTo(h);
            assertThat(Gates.get(h + ".resumed").getCount())
                    .as("the healthy job ran again, resuming")
                    .isZero();
            assertThatThrownBy(() -> jobs.handle(corrupt).result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class);
            JobInfo info = jobs.info(corrupt);
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.error()).hasValueSatisfying(e -> assertThat(e).contains("test.gate"));
        }
    }

    @Test
    void storedVersionWithoutUpgradeFailsNamingBothVersions() throws Exception {
        String k = UUID.randomUUID().toString();
        UUID id;
        try (JobManager jobs = open(db())) {
            id = dispatchAndPause(jobs, k);
        }
        sql(db(), "UPDATE jobs SET version = 7 WHERE id = '" + id + "'");
        try (JobManager jobs = open(db())) {
            Gates.open(k + ".release"); // were it restored, it would finish at once
            jobs.resume(id);
            assertThatThrownBy(() -> jobs.handle(id).result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class);
            assertThat(jobs.info(id).error())
                    .hasValueSatisfying(e -> assertThat(e)
                            .contains(
                                    "job 'test.gate' was stored with state version 7 but the code expects version 1"));
        }
    }

    @Test
    void unregisteredJobRowsAreLeftUntouchedAndReported() throws Exception {
        try (JobManager jobs = open(db())) {
            jobs.dispatch(new StepJob(1, null)).result().get(20, TimeUnit.SECONDS);
        }
        String ghost = UUID.randomUUID().toString();
        sql(
                db(),
                "INSERT INTO jobs (id, name, version, data, status, priority, created_at, attempt) VALUES ('" + ghost
                        + "', 'removed.job', 1, x'80', 'QUEUED', 0, 1, 0)");
        try (JobManager jobs = open(db())) {
            assertThat(jobs.unresolved()).extracting(JobInfo::name).containsExactly("removed.job");
            assertThat(jobs.info(UUID.fromString(ghost)).status()).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(count(
                        db(),
                        "SELECT count(*) FROM jobs WHERE id = '" + ghost + "' AND status = 'QUEUED' AND attempt = 0"))
                .isOne();
    }

    @Test
    void fileThatIsNotADatabaseFailsAtBuild() throws Exception {
        Files.writeString(db(), "this is a text file, not SQLite; ".repeat(100));
        assertThatThrownBy(() -> open(db()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is not a SQLite database");
        assertThat(Files.readString(db())).startsWith("this is a text file");
    }

    @Test
    void readOnlyDatabaseFailsAtBuild() throws Exception {
        try (JobManager jobs = open(db())) {
            jobs.dispatch(new StepJob(1, null)).result().get(20, TimeUnit.SECONDS);
        }
        Files.setPosixFilePermissions(db(), PosixFilePermissions.fromString("r--r--r--"));
        boolean immutable = false;
        if (Files.isWritable(db())) {
            // root ignores permissions; the immutable attribute stops root too
            immutable =
                    new ProcessBuilder("chattr", "+i", db().toString()).start().waitFor() == 0;
            Assumptions.assumeTrue(
                    immutable && !Files.isWritable(db()), "cannot make the file read-only for this user");
        }
        try {
            assertThatThrownBy(() -> open(db()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is read-only");
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", db().toString()).start().waitFor();
            }
        }
        assertThat(count(db(), "SELECT count(*) FROM jobs WHERE status = 'COMPLETED'"))
                .isOne();
    }

    @Test
    void newerSchemaVersionFailsAndChangesNothing() throws Exception {
        try (JobManager jobs = open(db())) {
            jobs.dispatch(new StepJob(1, null)).result().get(20, TimeUnit.SECONDS);
        }
        sql(
                db(),
                "INSERT INTO jobs_schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");
        long before = count(db(), "SELECT count(*) FROM jobs");
        assertThatThrownBy(() -> open(db()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has schema version 99")
                .hasMessageContaining("upgrade the library");
        assertThat(count(db(), "SELECT count(*) FROM jobs")).isEqualTo(before);
        assertThat(count(db(), "SELECT count(*) FROM owners")).isZero();
    }
}
