package dev.jobs.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.events.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobctl's progress bar: whole percents, one ETA, and a resumed job's bar starts where the job is. */
class ProgressLineTest {

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void showsWholePercentsNotThousandths() {
        String line = ProgressLine.line("file_copy", 4_170, 0, ProgressLine.SCALE, Duration.ofSeconds(3), "", 110);

        assertThat(line).startsWith("file_copy  41% [").doesNotContain("417", "/1000", "/10000");
    }

    @Test
    void showsOnly100PercentWhenDone() {
        assertThat(ProgressLine.line("x", ProgressLine.SCALE - 1, 0, ProgressLine.SCALE, Duration.ZERO, "", 110))
                .contains(" 99% ");
        assertThat(ProgressLine.line("x", ProgressLine.SCALE, 0, ProgressLine.SCALE, Duration.ZERO, "", 110))
                .contains("100% ");
    }

    @Test
    void showsTheJobsOwnEtaAndNoSecondOne() {
        String line = ProgressLine.line(
                "file_copy",
                4_170,
                0,
                ProgressLine.SCALE,
                Duration.ofSeconds(3),
                "file 2/3 img1.raw, 6.5 MiB/s, ETA 6s",
                110);

        assertThat(line).endsWith("file 2/3 img1.raw, 6.5 MiB/s, ETA 6s");
        assertThat(occurrences(line, "ETA")).isEqualTo(1);
    }

    @Test
    void estimatesOneEtaFromTheProgressSinceTheBarStartedWhenTheJobGivesNone() {
        // 40% -> 50% in 10 s since the bar started: 50% left takes 50 s
        String line = ProgressLine.line(
                "indexer", 5_000, 4_000, ProgressLine.SCALE, Duration.ofSeconds(10), "content: 50/100 files", 110);

        assertThat(line).endsWith("content: 50/100 files, ETA 50s");
        assertThat(occurrences(line, "ETA")).isEqualTo(1);
    }

    @Test
    void neverWiderThanTheTerminal() {
        String line = ProgressLine.line("file_copy", 10, 0, ProgressLine.SCALE, Duration.ZERO, "x".repeat(300), 80);

        assertThat(line).hasSize(80).endsWith("...");
    }

    @TempDir
    Path dir;

    @Test
    void barOfAResumedJobStartsAtTheJobsProgressNotAtZero() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        byte[] bytes = new byte[4 << 20];
        new Random(3).nextBytes(bytes);
        Files.write(source.resolve("big.bin"), bytes);
        String params = "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst")
                + "\",\"checkpointBytes\":262144,\"throttleMillis\":20}";
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).workers(1).build()) {
            // paused once a third is done and checkpointed
            CountDownLatch paused = new CountDownLatch(1);
            AtomicBoolean pauseAsked = new AtomicBoolean();
            JobHandle<?>[] handle = new JobHandle<?>[1];
            CountDownLatch dispatched = new CountDownLatch(1);
            try (Subscription s = jobs.addListener(event -> {
                dispatched.await();
                if (event instanceof JobEvent.Checkpointed
                        && jobs.info(event.jobId())
                                        .progress()
                                        .orElseThrow()
                                        .fraction()
                                        .orElse(0)
                                >= 0.3
                        && pauseAsked.compareAndSet(false, true)) {
                    jobs.pause(handle[0].id());
                } else if (event instanceof JobEvent.Paused) {
                    paused.countDown();
                }
            })) {
                handle[0] = jobs.dispatchByName("file_copy", params);
                dispatched.countDown();
                assertThat(paused.await(60, TimeUnit.SECONDS)).as("paused").isTrue();
            }
            assertThat(jobs.info(handle[0].id()).status()).isEqualTo(JobStatus.PAUSED);
            int stored = (int) (jobs.info(handle[0].id())
                            .progress()
                            .orElseThrow()
                            .fraction()
                            .orElseThrow()
                    * 100);

            // what `jobctl resume --fg` draws before the job reports again: the watch of a paused job
            // draws its first and last frame without any progress event in between
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Shared.watch(
                    jobs,
                    handle[0].id(),
                    "file_copy",
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    true,
                    null,
                    f -> {});

            List<String> frames = Arrays.stream(
                            err.toString(StandardCharsets.UTF_8).split("[\r\n]"))
                    .filter(f -> f.startsWith("file_copy"))
                    .toList();
            assertThat(frames).isNotEmpty();
            for (String frame : frames) {
                Matcher percent = Pattern.compile("file_copy +(\\d+)%").matcher(frame);
                assertThat(percent.find()).as(frame).isTrue();
                assertThat(Integer.parseInt(percent.group(1))).as(frame).isEqualTo(stored);
            }
            assertThat(stored).isGreaterThanOrEqualTo(30);
        }
    }
}
