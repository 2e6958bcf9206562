package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.LogLevel;
import dev.jobs.runtime.testjobs.ChattyJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.LoggingGateJob;
import dev.jobs.runtime.testjobs.StepJob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsAndQueriesTest {

    @TempDir
    Path dir;

    @Test
    void logLinesAreStoredInOrderWithSequenceNumbers() throws Exception {
        try (JobManager jobs = Support.open(dir.resolve("jobs.db"))) {
            JobHandle<Integer> h = jobs.dispatch(new ChattyJob(50, 10, 0));
            h.result().get(20, TimeUnit.SECONDS);
            List<LogLine> lines = jobs.logs(h.id(), 0, 100);
            assertThat(lines)
                    .extracting(LogLine::message)
                    .containsExactly("starting at 0", "item 10", "item 20", "item 30", "item 40", "item 50");
            assertThat(lines).extracting(LogLine::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(lines.get(0).level()).isEqualTo(LogLevel.DEBUG);
            assertThat(jobs.logs(h.id(), 4, 100)).extracting(LogLine::message).containsExactly("item 40", "item 50");
        }
    }

    @Test
    void followLogDeliversLinesWhileTheJobRunsAndEndsWithTheJob() throws Exception {
        String k = UUID.randomUUID().toString();
        int before = 2_500; // more than one page (1000) of lines before the job waits
        int after = 500;
        try (JobManager jobs = Support.open(dir.resolve("jobs.db"))) {
            JobHandle<Integer> job = jobs.dispatch(new LoggingGateJob(k, before, after));
            AtomicReference<JobStatus> statusAtLastEarlyLine = new AtomicReference<>();
            AtomicBoolean releasedByTimeout = new AtomicBoolean();
            // if followLog held lines back until the job ended, nothing would release the job: fail rather than hang
            CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS).execute(() -> {
                if (Gates.get(k + ".release").getCount() > 0) {
                    releasedByTimeout.set(true);
                    Gates.open(k + ".release");
                }
            });
            List<LogLine> followed = new ArrayList<>();
            long last = jobs.followLog(job.id(), 0, line -> {
                followed.add(line);
                if (line.sequence() == before) {
                    // the job waits for this gate, so it is still running, and the lines arrived live
                    statusAtLastEarlyLine.set(jobs.info(job.id()).status());
                    Gates.open(k + ".release");
                }
            });
            assertThat(releasedByTimeout)
                    .as("followLog delivered line %d while the job waited for it", before)
                    .isFalse();
            assertThat(statusAtLastEarlyLine.get()).isEqualTo(JobStatus.RUNNING);
            // it returned because the job ended, with every line once, in order
            assertThat(jobs.info(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.result().get(20, TimeUnit.SECONDS)).isEqualTo(before + after);
            assertThat(followed)
                    .extracting(LogLine::sequence)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, before + after).boxed().toList());
            assertThat(followed)
                    .extracting(LogLine::message)
                    .startsWith("line 1", "line 2")
                    .endsWith("line " + (before + after));
            assertThat(last).isEqualTo(before + after);
            // following a finished job returns what is left at once
            assertThat(jobs.followLog(job.id(), last - 2, line -> {})).isEqualTo(last);
        }
    }

    @Test
    void listFiltersByStatusNameAndTimeWithStablePaging() throws Exception {
        Path db = dir.resolve("jobs.db");
        Instant before;
        List<UUID> all = new ArrayList<>();
        try (JobManager jobs = Support.open(db)) {
            before = Instant.now();
            for (int i = 0; i < 120; i++) {
                all.add(jobs.dispatch(new StepJob(1, null)).id());
            }
            for (UUID id : all) {
                jobs.handle(id).result().get(20, TimeUnit.SECONDS);
            }
            String k = UUID.randomUUID().toString();
            UUID paused = jobs.dispatch(new GateJob(k)).id();
            Gates.await(k + ".started", 20_000);
            jobs.pause(paused);
            Support.awaitStatus(jobs, paused, JobStatus.PAUSED);

            assertThat(jobs.list(JobQuery.all().statuses(JobStatus.PAUSED)))
                    .extracting(JobInfo::id)
                    .containsExactly(paused);
            assertThat(jobs.active()).extracting(JobInfo::id).containsExactly(paused);
            assertThat(jobs.list(JobQuery.all().names("test.steps").limit(1000)))
                    .hasSize(120);
            assertThat(jobs.list(JobQuery.all().createdBefore(before))).isEmpty();

            Set<UUID> paged = new HashSet<>();
            List<JobInfo> page =
                    jobs.list(JobQuery.all().statuses(JobStatus.COMPLETED).limit(50));
            List<UUID> order = new ArrayList<>();
            while (!page.isEmpty()) {
                page.forEach(j -> order.add(j.id()));
                paged.addAll(page.stream().map(JobInfo::id).toList());
                page = jobs.list(
                        JobQuery.all().statuses(JobStatus.COMPLETED).limit(50).after(page.get(page.size() - 1)));
            }
            assertThat(paged).containsExactlyInAnyOrderElementsOf(all);
            assertThat(order).hasSize(120);
            List<UUID> newestFirst = new ArrayList<>(all);
            java.util.Collections.reverse(newestFirst);
            assertThat(order).containsExactlyElementsOf(newestFirst);
        }
    }
}
