package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.StepJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several real JVMs on one database file. */
@org.junit.jupiter.api.Timeout(
        value = 5,
        unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class MultiProcessTest {

    @TempDir
    Path dir;

    private static Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        int main = 0;
        while (args[main].startsWith("-D")) {
            command.add(args[main++]);
        }
        command.add(WorkerChild.class.getName());
        command.addAll(List.of(args).subList(main, args.length));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static List<String> readAll(Process p) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return lines;
    }

    @Test
    void twoJvmsRunEachOfTwoThousandJobsExactlyOnce() throws Exception {
        Path db = dir.resolve("shared.db");
        Path side = dir.resolve("ran.txt");
        try (JobManager init = JobManager.builder().database(db).client().build()) {
            assertThat(init.isClient()).isTrue(); // creates the schema before both children start
        }
        Process a = child("count", db.toString(), side.toString(), "1000");
        Process b = child("count", db.toString(), side.toString(), "1000");
        List<String> outA = readAll(a);
        List<String> outB = readAll(b);
        assertThat(outA).as("child A output").contains("dispatched", "idle");
        assertThat(outB).as("child B output").contains("dispatched", "idle");
        assertThat(a.exitValue()).isZero();
        assertThat(b.exitValue()).isZero();

        List<String> lines = Files.readAllLines(side);
        Map<String, Long> runsPerJob = lines.stream()
                .map(l -> l.split(" ")[0])
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(runsPerJob).hasSize(2000);
        assertThat(runsPerJob.values()).allMatch(n -> n == 1);
        Set<String> pids = lines.stream().map(l -> l.split(" ")[1]).collect(Collectors.toSet());
        assertThat(pids).as("both processes ran jobs").hasSize(2);
        assertThat(Support.count(db, "SELECT count(*) FROM jobs WHERE status = 'COMPLETED'"))
                .isEqualTo(2000);
    }

    @Test
    void survivorRecoversJobsOfKilledJvmAfterItsLeaseExpiresAndResumesThem() throws Exception {
        Path db = dir.resolve("shared.db");
        Path side = dir.resolve("steps");
        int steps = 150;
        // The child claims another host name, so only its lease (2 s) can tell that it died.
        Process child = child(
                "-Ddev.jobs.host=another-machine",
                "steps",
                db.toString(),
                side.toString(),
                "2",
                Integer.toString(steps),
                "10");
        List<UUID> ids = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int checkpoints = 0;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("id ")) {
                    ids.add(UUID.fromString(line.substring(3)));
                } else if (line.startsWith("checkpointed ") && ++checkpoints >= 40) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ids).hasSize(2);
        try (JobManager survivor = JobManager.builder()
                .database(db)
                .workers(2)
                .leaseDuration(Duration.ofSeconds(1))
                .build()) {
            for (UUID id : ids) {
                assertThat(survivor.info(id).lastCheckpoint())
                        .as("job %s had checkpointed before the kill", id)
                        .isPresent();
                assertThat(survivor.handle(id).result().get(60, TimeUnit.SECONDS))
                        .isEqualTo(StepJob.expected(steps));
                assertThat(survivor.info(id).attempt()).isEqualTo(2);
            }
        }
        for (int i = 0; i < 2; i++) {
            List<Integer> ran = Files.readAllLines(Path.of(side + "." + i)).stream()
                    .map(l -> Integer.parseInt(l.trim()))
                    .toList();
            assertThat(Set.copyOf(ran)).hasSize(steps);
            assertThat(ran.size() - steps).as("steps run twice by job %d", i).isLessThanOrEqualTo(1);
            assertThat(Collections.frequency(ran, 0))
                    .as("job %d resumed from a checkpoint, not from the start", i)
                    .isEqualTo(1);
        }
    }

    @Test
    void cancelFromOneJvmStopsJobRunningInAnother() throws Exception {
        Path db = dir.resolve("shared.db");
        Process child = child("steps", db.toString(), dir.resolve("long").toString(), "1", "100000", "5");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            UUID id = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("id ")) {
                    id = UUID.fromString(line.substring(3));
                } else if (line.startsWith("checkpointed ")) {
                    break;
                }
            }
            assertThat(id).isNotNull();
            try (JobManager cli = JobManager.builder()
                    .database(db)
                    .client()
                    .changePollInterval(Duration.ofMillis(50))
                    .build()) {
                assertThat(cli.info(id).status()).isEqualTo(JobStatus.RUNNING);
                JobHandle<?> handle = cli.handle(id);
                cli.cancel(id);
                assertThatThrownBy(() -> handle.result().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(JobCancelledException.class);
                JobInfo info = cli.info(id);
                assertThat(info.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(info.progress())
                        .hasValueSatisfying(
                                p -> assertThat(p.fraction().getAsDouble()).isLessThan(1.0));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientDispatchIsPickedUpByWorkerProcessWithoutRestart() throws Exception {
        Path db = dir.resolve("shared.db");
        Path side = dir.resolve("ran.txt");
        try (JobManager worker = JobManager.builder()
                        .database(db)
                        .workers(1)
                        .changePollInterval(Duration.ofMillis(20))
                        .build();
                JobManager client = JobManager.builder().database(db).client().build()) {
            JobHandle<?> handle = client.dispatchByName("test.count", "{\"sideFile\":\"" + side + "\"}");
            assertThat(handle.result().get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(client.info(handle.id()).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }
}
