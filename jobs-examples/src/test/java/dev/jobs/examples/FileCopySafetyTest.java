package dev.jobs.examples;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.examples.copy.FileCopyJob;
import dev.jobs.examples.copy.FileCopyOutput;
import dev.jobs.test.JobHarness;
import dev.jobs.test.JobRun;
import dev.jobs.test.JobTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * file_copy refuses copies that would destroy or escape (before it writes anything), and fails
 * when every file failed; on real files.
 */
@JobTest
class FileCopySafetyTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    private static String params(Path destination, Path... sources) {
        StringBuilder json = new StringBuilder("{\"sources\":[");
        for (int i = 0; i < sources.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(sources[i]).append('"');
        }
        return json.append("],\"destination\":\"")
                .append(destination)
                .append("\"}")
                .toString();
    }

    @Test
    void copyingADirectoryIntoItsOwnParentFailsAndLeavesEverySourceByteIdentical() throws Exception {
        Path d = dir.resolve("D");
        Path photos = Trees.make(d.resolve("photos"), 1, 2, 20_000);
        SortedMap<String, String> before = Trees.snapshot(d);

        Cli.Result r = Cli.run(db(), "run", "file_copy", "--no-progress", "--params", params(d, photos));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("failed", "refusing to copy", photos.resolve("dir0").toString(), "is the source file");
        assertThat(Trees.snapshot(d)).isEqualTo(before);
    }

    @Test
    void destinationInsideTheSourceFailsAndCreatesNothing(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 2, 1_000);
        SortedMap<String, String> before = Trees.snapshot(source);

        JobRun<FileCopyOutput> run = harness.run(new FileCopyJob(List.of(source), source.resolve("backup")));

        assertThat(run)
                .failedWith(
                        IllegalArgumentException.class,
                        "destination " + source.resolve("backup") + " is inside source directory " + source);
        assertThat(Trees.snapshot(source)).isEqualTo(before);
    }

    @Test
    void sourceEndingInDotDotFailsAndWritesNothingOutsideTheDestination(JobHarness harness) throws Exception {
        Path area = dir.resolve("area");
        Trees.make(area.resolve("photos"), 1, 2, 1_000);
        Files.createDirectories(area.resolve("out"));
        SortedMap<String, String> before = Trees.snapshot(area);

        JobRun<FileCopyOutput> run =
                harness.run(new FileCopyJob(List.of(area.resolve("photos/..")), area.resolve("out/dst")));

        assertThat(run)
                .failedWith(IllegalArgumentException.class, "source '" + area.resolve("photos/..") + "' ends in '..'");
        assertThat(Trees.snapshot(area)).isEqualTo(before);
    }

    @Test
    void sourceEndingInDotFailsAndWritesNothing(JobHarness harness) throws Exception {
        Path area = dir.resolve("area");
        Trees.make(area.resolve("photos"), 1, 2, 1_000);
        SortedMap<String, String> before = Trees.snapshot(area);

        JobRun<FileCopyOutput> run =
                harness.run(new FileCopyJob(List.of(area.resolve("photos/.")), dir.resolve("dst")));

        assertThat(run).failedWith(IllegalArgumentException.class, "ends in '.'");
        assertThat(Trees.snapshot(area)).isEqualTo(before);
        assertThat(dir.resolve("dst")).doesNotExist();
    }

    @Test
    void targetThatIsAHardLinkToItsSourceFailsAndLeavesTheSourceIntact(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 1, 1_000);
        Path file = source.resolve("dir0/blob.bin");
        Path backup = Files.createDirectories(dir.resolve("backup/src/dir0"));
        Files.createLink(backup.resolve("blob.bin"), file);
        SortedMap<String, String> before = Trees.snapshot(dir);

        JobRun<FileCopyOutput> run = harness.run(new FileCopyJob(List.of(source), dir.resolve("backup")));

        assertThat(run)
                .failedWith(
                        IllegalArgumentException.class,
                        "target " + backup.resolve("blob.bin") + " is the source file " + file);
        assertThat(Trees.snapshot(dir)).isEqualTo(before);
    }

    @Test
    void destinationReachingIntoTheSourceThroughASymbolicLinkFails(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 1, 1_000);
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Files.createSymbolicLink(backup.resolve("src"), source);
        SortedMap<String, String> before = Trees.snapshot(source);

        JobRun<FileCopyOutput> run = harness.run(new FileCopyJob(List.of(source), backup));

        assertThat(run)
                .failedWith(IllegalArgumentException.class, "refusing to copy: target " + backup.resolve("src/dir0"));
        assertThat(Trees.snapshot(source)).isEqualTo(before);
    }

    @Test
    void everySourceMissingFailsTheJobAndJobctlExitsNonZero() {
        Cli.Result r = Cli.run(
                db(),
                "run",
                "file_copy",
                "--no-progress",
                "--params",
                params(dir.resolve("dst"), dir.resolve("gone1"), dir.resolve("gone2")));

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "failed",
                        "none of the 2 files could be copied",
                        dir.resolve("gone1") + " (source does not exist)");
    }

    @Test
    void everyFileFailingToBeWrittenFailsTheJob(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 2, 1_000);
        Path notADirectory = Files.writeString(dir.resolve("file.txt"), "a file, not a directory");

        JobRun<FileCopyOutput> run = harness.run(new FileCopyJob(List.of(source), notADirectory.resolve("dst")));

        assertThat(run).failedWith(IOException.class, "none of the 3 files could be copied");
    }

    @Test
    void aNormalCopyStillCopiesEveryFile(JobHarness harness) throws Exception {
        Path source = Trees.make(dir.resolve("src"), 2, 2, 10_000);

        JobRun<FileCopyOutput> run =
                harness.run(new FileCopyJob(List.of(source), dir.resolve("dst")).verifyChecksum(true));

        assertThat(run).isCompleted();
        assertThat(run.output().copiedCount()).isEqualTo(6);
        assertThat(run.output().failedCount()).isZero();
        Trees.assertSameTree(source, dir.resolve("dst/src"));
    }
}
