package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.ChainHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobctl shows how jobs are tied: a parent's children, a chain's steps, WAITING jobs. */
class JobCtlFamilyTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    private Path files(int n) throws Exception {
        Path root = Files.createDirectories(dir.resolve("tree/sub"));
        for (int i = 0; i < n; i++) {
            Files.writeString(root.resolve("f" + i), "file " + i);
        }
        return dir.resolve("tree");
    }

    @Test
    void aParentsChildrenAreListedWithItAndCountedByStatus() throws Exception {
        Path root = files(7);
        Cli.Result run = Cli.run(
                db(), "run", "checksum-tree", "--no-progress", "--params", "{\"root\":\"" + root + "\",\"batch\":3}");
        assertThat(run.exit()).as(run.err()).isZero();
        Matcher m = Pattern.compile("job ([0-9a-f-]{36})").matcher(run.out());
        assertThat(m.find()).isTrue();
        UUID parent = UUID.fromString(m.group(1));
        assertThat(run.out()).contains("completed", "\"children\":3");

        Cli.Result list = Cli.run(db(), "list", "--all");
        assertThat(list.out()
                        .lines()
                        .filter(l -> l.contains("child of " + parent.toString().substring(0, 8))))
                .hasSize(3);

        Cli.Result status = Cli.run(db(), "status", parent.toString());
        assertThat(status.out()).contains("children:   3 (3 completed)");
    }

    @Test
    void aChainsWaitingStepsAreListedAsWaitingWithTheStepTheyWaitFor() throws Exception {
        Path root = files(2);
        ChainHandle chain;
        try (JobManager client = JobManager.builder().database(db()).client().build()) {
            chain = client.chain(new ChecksumJob(List.of(root.resolve("sub/f0"))))
                    .then(new ChecksumJob(List.of(root.resolve("sub/f1"))))
                    .dispatch();
        }
        UUID first = chain.steps().get(0).id();
        UUID second = chain.steps().get(1).id();

        Cli.Result list = Cli.run(db(), "list");
        String waitingLine = list.out()
                .lines()
                .filter(l -> l.startsWith(second.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(waitingLine)
                .contains("WAITING", "chain " + chain.id().toString().substring(0, 8))
                .contains("after " + first.toString().substring(0, 8));

        Cli.Result status = Cli.run(db(), "status", second.toString());
        assertThat(status.out())
                .contains("chain:      " + chain.id())
                .contains("step 1: " + first)
                .contains("step 2: " + second + "  checksum  WAITING  <- this job");

        Cli.Result worked = Cli.run(db(), "worker");
        assertThat(worked.exit()).as(worked.out() + worked.err()).isZero();
        try (JobManager client = JobManager.builder().database(db()).client().build()) {
            assertThat(client.findChain(chain.id()).orElseThrow().info().steps())
                    .extracting(JobInfo::status)
                    .containsOnly(JobStatus.COMPLETED);
        }
    }
}
