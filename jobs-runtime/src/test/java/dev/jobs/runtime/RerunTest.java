package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static dev.jobs.runtime.Support.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobException;
import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.FlakyJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters kept with each job, and running a finished job again with them. */
class RerunTest {

    @TempDir
    Path dir;

    @Test
    void parametersGivenByNameAreKeptAsGivenWithoutState() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<?> h = jobs.dispatchByName("test.flaky", "{ \"needs\": \"/nowhere\",  \"times\": 2 }");
            awaitStatus(jobs, h.id(), JobStatus.FAILED);
            assertThat(jobs.info(h.id()).parameters()).contains("{\"needs\":\"/nowhere\",\"times\":2}");
        }
    }

    @Test
    void parametersOfAJobDispatchedAsAnInstanceAreItsParamFieldsOnly() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> h = jobs.dispatch(new FlakyJob("/nowhere"));
            awaitStatus(jobs, h.id(), JobStatus.FAILED);
            assertThat(jobs.info(h.id()).parameters()).contains("{\"needs\":\"/nowhere\",\"times\":1}");
        }
    }

    @Test
    void rerunOfAFailedJobRunsANewJobWithTheSameParametersAndLinksIt() throws Exception {
        Path needed = dir.resolve("needed.txt");
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<?> failed = jobs.dispatchByName("test.flaky", "{\"needs\":\"" + needed + "\",\"times\":3}");
            awaitStatus(jobs, failed.id(), JobStatus.FAILED);
            Files.writeString(needed, "ab");

            JobHandle<?> again = jobs.rerun(failed.id());
            assertThat(again.id()).isNotEqualTo(failed.id());
            assertThat(again.result().get(20, TimeUnit.SECONDS)).isEqualTo("ababab");
            JobInfo info = jobs.info(again.id());
            assertThat(info.rerunOf()).contains(failed.id());
            assertThat(info.parameters()).isEqualTo(jobs.info(failed.id()).parameters());
            assertThat(info.attempt()).as("a new job, not a resumed one").isEqualTo(1);
            assertThat(jobs.info(failed.id()).status())
                    .as("the old job is left as it is")
                    .isEqualTo(JobStatus.FAILED);
        }
    }

    @Test
    void rerunOfAJobThatHasNotFinishedIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> running = jobs.dispatch(new BlockingJob(key));
            Gates.await(key + ".started", 20_000);
            assertThatThrownBy(() -> jobs.rerun(running.id()))
                    .isInstanceOf(IllegalJobStateException.class)
                    .hasMessageContaining("only a finished job can run again");
            Gates.open(key + ".release");
            running.result().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void rerunOfAnUnknownJobIsNotFound() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            assertThatThrownBy(() -> jobs.rerun(UUID.randomUUID())).isInstanceOf(JobNotFoundException.class);
        }
    }

    @Test
    void aJobStoredWithoutParametersCannotBeRerunAndSaysWhy() throws Exception {
        Path db = dir.resolve("jobs.db");
        UUID id;
        try (JobManager jobs = open(db)) {
            JobHandle<String> h = jobs.dispatch(new FlakyJob("/nowhere"));
            awaitStatus(jobs, h.id(), JobStatus.FAILED);
            id = h.id();
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement()) {
            s.executeUpdate("UPDATE jobs SET parameters = NULL"); // as a row written by an older version
        }
        try (JobManager jobs = open(db)) {
            assertThatThrownBy(() -> jobs.rerun(id))
                    .isInstanceOf(JobException.class)
                    .hasMessageContaining("stored without its parameters");
        }
    }
}
