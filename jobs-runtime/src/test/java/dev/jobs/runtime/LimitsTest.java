package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.HoldingJob;
import dev.jobs.runtime.testjobs.LimitedJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency limits: by job type ({@code @Job(maxConcurrent)}) and by resource key at dispatch. */
class LimitsTest {

    @TempDir
    Path dir;

    private JobManager open() {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(4)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Checks that the "start ID" and "end ID" lines of a log alternate: no run started before the
     * previous one ended. Returns the number of runs.
     */
    static int assertNoOverlap(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        String open = null;
        int runs = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            int at = f[0].equals("start") || f[0].equals("end") ? 0 : 2;
            String what = f[at];
            String id = f[at + 1];
            if (what.equals("start")) {
                assertThat(open)
                        .as("job %s started while %s was running", id, open)
                        .isNull();
                open = id;
                runs++;
            } else {
                assertThat(id).as("the end of the job that started").isEqualTo(open);
                open = null;
            }
        }
        return runs;
    }

    @Test
    void aTypeLimitOfOneNeverRunsTwoJobsOfTheTypeAtOnce() throws Exception {
        Path log = dir.resolve("limited.txt");
        try (JobManager jobs = open()) {
            List<JobHandle<Void>> handles = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                handles.add(jobs.dispatch(new LimitedJob(log, 20)));
            }
            for (JobHandle<Void> h : handles) {
                h.result().get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(assertNoOverlap(log)).isEqualTo(12);
    }

    @Test
    void aResourceKeyIsHeldAcrossJobTypes() throws Exception {
        Path log = dir.resolve("held.txt");
        try (JobManager jobs = open()) {
            DispatchOptions repo = DispatchOptions.defaults().resources("repo:/data/main");
            List<JobHandle<?>> handles = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                handles.add(jobs.dispatch(new HoldingJob(log), repo));
                handles.add(jobs.dispatch(new LimitedJob(log, 10), repo));
            }
            for (JobHandle<?> h : handles) {
                h.result().get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(assertNoOverlap(log)).isEqualTo(12);
    }

    @Test
    void jobsWaitingForAResourceDoNotKeepAnUnlimitedJobFromStarting() throws Exception {
        String gate = "limits-hol-" + System.nanoTime();
        try (JobManager jobs = open()) {
            DispatchOptions repo = DispatchOptions.defaults().resources("repo");
            JobHandle<String> holder = jobs.dispatch(new BlockingJob(gate), repo);
            assertThat(Gates.await(gate + ".started", 20_000)).isTrue();
            List<JobHandle<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                waiting.add(jobs.dispatch(new CountJob(dir.resolve("w.txt")), repo));
            }
            JobHandle<Integer> free = jobs.dispatch(new CountJob(dir.resolve("free.txt")));
            assertThat(free.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(waiting).allMatch(h -> h.status() == JobStatus.QUEUED);
            Gates.open(gate + ".release");
            holder.result().get(20, TimeUnit.SECONDS);
            awaitStatus(jobs, waiting.get(499).id(), JobStatus.COMPLETED);
        }
    }

    @Test
    void tenThousandJobsWaitingForAResourceDoNotKeepAnUnlimitedJobFromStarting() throws Exception {
        String gate = "limits-hol-10k-" + System.nanoTime();
        try (JobManager jobs = open()) {
            DispatchOptions repo = DispatchOptions.defaults().resources("repo");
            JobHandle<String> holder = jobs.dispatch(new BlockingJob(gate), repo);
            assertThat(Gates.await(gate + ".started", 20_000)).isTrue();
            List<CountJob> backlog = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                backlog.add(new CountJob(dir.resolve("w.txt")));
            }
            List<JobHandle<?>> waiting = jobs.dispatchAll(backlog, repo);
            JobHandle<Integer> free = jobs.dispatch(new CountJob(dir.resolve("free.txt")));
            assertThat(free.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(jobs.list(JobQuery.all().statuses(JobStatus.QUEUED).limit(10_000)))
                    .as("the backlog, still waiting for the resource")
                    .hasSize(10_000);
            Gates.open(gate + ".release");
            holder.result().get(20, TimeUnit.SECONDS);
            waiting.get(0).result().get(20, TimeUnit.SECONDS); // the resource is free: the backlog moves
        }
    }

    @Test
    void aResourceWithAMaxOfTwoRunsTwoAtOnce() throws Exception {
        String gate = "limits-two-" + System.nanoTime();
        try (JobManager jobs = open()) {
            DispatchOptions two = DispatchOptions.defaults().resource("pool", 2);
            JobHandle<String> a = jobs.dispatch(new BlockingJob(gate), two);
            JobHandle<String> b = jobs.dispatch(new BlockingJob(gate), two);
            JobHandle<String> c = jobs.dispatch(new BlockingJob(gate), two);
            awaitStatus(jobs, a.id(), JobStatus.RUNNING);
            awaitStatus(jobs, b.id(), JobStatus.RUNNING);
            JobHandle<Integer> free = jobs.dispatch(new CountJob(dir.resolve("free.txt")));
            free.result().get(20, TimeUnit.SECONDS); // the manager has looked at the queue since
            assertThat(c.status()).isEqualTo(JobStatus.QUEUED);
            Gates.open(gate + ".release");
            c.result().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJobShowsTheResourcesItHolds() {
        try (JobManager jobs = open()) {
            JobHandle<Void> h = jobs.dispatch(
                    new LimitedJob(dir.resolve("l.txt"), 1),
                    DispatchOptions.defaults().resource("pool", 3));
            assertThat(jobs.info(h.id()).resources())
                    .containsExactly(java.util.Map.entry("pool", 3), java.util.Map.entry("type:test.limited", 1));
            JobHandle<Integer> free = jobs.dispatch(new CountJob(dir.resolve("free.txt")));
            assertThat(jobs.info(free.id()).resources()).isEmpty();
        }
    }

    @Test
    void aUniqueDispatchKeepsItsResources() {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(
                    new CountJob(dir.resolve("c.txt")),
                    DispatchOptions.defaults().uniqueKey("k").resources("repo"));
            assertThat(jobs.info(h.id()).resources()).containsExactly(java.util.Map.entry("repo", 1));
        }
    }

    @Test
    void aScheduledJobOfALimitedTypeHoldsItsTypeLimit() {
        try (JobManager jobs = open()) {
            jobs.schedules()
                    .upsert(
                            "limited",
                            Schedule.every(Duration.ofHours(1)),
                            "test.limited",
                            "{\"log\":\"" + dir.resolve("l.txt").toString().replace("\\", "\\\\") + "\"}");
            dev.jobs.runtime.testing.TestHooks.tickSchedules(jobs);
            JobInfo tick = jobs.list(JobQuery.all().names("test.limited")).get(0);
            assertThat(tick.resources()).containsExactly(java.util.Map.entry("type:test.limited", 1));
        }
    }

    @Test
    void aBadResourceIsRefused() {
        assertThatThrownBy(() -> DispatchOptions.defaults().resources(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resource key");
        assertThatThrownBy(() -> DispatchOptions.defaults().resource("r", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
