package dev.jobs.examples;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.examples.copy.FileCopyJob;
import dev.jobs.examples.copy.FileCopyOutput;
import dev.jobs.examples.index.IndexOutput;
import dev.jobs.examples.index.IndexerJob;
import dev.jobs.test.Interruption;
import dev.jobs.test.JobHarness;
import dev.jobs.test.JobRun;
import dev.jobs.test.JobTest;
import dev.jobs.test.ResumeReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample jobs pass the jobs-test resume verifier: any crash or pause point gives the same result. */
@JobTest
class SampleJobsResumeTest {

    @TempDir
    Path dir;

    private static boolean sameCopy(FileCopyOutput a, FileCopyOutput b) {
        // everything but the time it took
        return a.copiedCount() == b.copiedCount()
                && a.failedCount() == b.failedCount()
                && a.totalBytes() == b.totalBytes()
                && a.failures().equals(b.failures());
    }

    @Test
    void fileCopyResumesCorrectlyFromEveryCheckpoint(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 2, 3, 300_000);
        Path target = dir.resolve("dst");
        ResumeReport report = harness.verifier(() -> new FileCopyJob(List.of(source, dir.resolve("missing")), target)
                        .checkpointBytes(100_000)
                        .verifyChecksum(true))
                .comparingOutputsWith(SampleJobsResumeTest::sameCopy)
                .maxPoints(12)
                .seed(11)
                .verify();
        assertThat(report.checkpoints()).isGreaterThan(10); // plan + chunks inside the big files + one per file
        Trees.assertSameTree(source, target.resolve("src"));
    }

    @Test
    void fileCopyReportsMissingSourcePerFileAndReachesFullProgress(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 2, 10_000);
        JobRun<FileCopyOutput> run =
                harness.run(new FileCopyJob(List.of(source, dir.resolve("nope")), dir.resolve("dst")));
        assertThat(run)
                .isCompleted()
                .progressIsMonotonic()
                .reachesFullProgress()
                .loggedLineContaining("source does not exist");
        assertThat(run.output().copiedCount()).isEqualTo(3);
        assertThat(run.output().failures())
                .extracting(FileCopyOutput.CopyFailure::reason)
                .containsExactly("source does not exist");
    }

    @Test
    void fileCopyProgressMessageCountsTheFileItNames(JobHarness harness) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        List<String> names = List.of("a.bin", "b.bin", "c.bin");
        for (String name : names) {
            Files.write(source.resolve(name), new byte[20_000]);
        }
        JobRun<FileCopyOutput> run =
                harness.run(new FileCopyJob(List.of(source), dir.resolve("dst")).checkpointBytes(4096));
        assertThat(run).isCompleted();

        java.util.regex.Pattern file = java.util.regex.Pattern.compile("^file (\\d+)/3 (\\S+),");
        assertThat(run.progress()).isNotEmpty();
        for (dev.jobs.Progress p : run.progress()) {
            String message = ((dev.jobs.Progress.Count) p).message();
            java.util.regex.Matcher m = file.matcher(message);
            assertThat(m.find()).as(message).isTrue();
            assertThat(m.group(2)).as(message).isEqualTo(names.get(Integer.parseInt(m.group(1)) - 1));
        }
        assertThat(((dev.jobs.Progress.Count) run.lastProgress().orElseThrow()).message())
                .startsWith("file 3/3 c.bin,");
    }

    @Test
    void fileCopyCrashInsideAFileResumesAtTheOffset(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 0, 1_000_000);
        JobRun<FileCopyOutput> run = harness.run(
                new FileCopyJob(List.of(source), dir.resolve("dst")).checkpointBytes(1 << 17),
                Interruption.crashAtCheckpoint(4));
        assertThat(run).isCompleted().hasRestarts(1).loggedLineContaining("resuming at file 1 of 1, byte ");
        assertThat(run.checkpoints().get(3).state().get("offset")).isNotEqualTo(0);
        Trees.assertSameTree(source, dir.resolve("dst/src"));
    }

    @Test
    void indexerResumesCorrectlyFromEveryCheckpoint(JobHarness harness) throws Exception {
        Path tree = Trees.make(dir.resolve("tree"), 3, 8, 5_000);
        Path index = dir.resolve("index.db");
        ResumeReport report = harness.verifier(() -> new IndexerJob(tree, index, IndexerJob.Mode.DEEP).batchSize(5))
                .maxPoints(12)
                .seed(5)
                .verify();
        assertThat(report.checkpoints()).isGreaterThan(10);
        JobRun<IndexOutput> run = harness.run(new IndexerJob(tree, index, IndexerJob.Mode.DEEP).batchSize(5));
        assertThat(run).isCompleted().progressIsMonotonic().reachesFullProgress();
        assertThat(run.output())
                .isEqualTo(new IndexOutput(
                        IndexerJob.Mode.DEEP,
                        27,
                        4,
                        run.output().bytes(),
                        27,
                        27,
                        24,
                        run.output().textLines(),
                        0));
        assertThat(Files.size(index)).isPositive();
    }
}
