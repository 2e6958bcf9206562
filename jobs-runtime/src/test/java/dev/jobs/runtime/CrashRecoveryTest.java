package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.execution.Recovery;
import dev.jobs.runtime.testjobs.StepJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM with SIGKILL in the middle of a job and proves that a new manager on the
 * same file resumes it from its last committed checkpoint.
 */
@org.junit.jupiter.api.Timeout(
        value = 5,
        unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class CrashRecoveryTest {

    private static final int STEPS = 200;

    @TempDir
    Path dir;

    /** A child JVM running a job, killed after it printed {@code killAfter} checkpoints. */
    private record Killed(UUID id, int lastSeenCheckpoint) {}

    private Killed runChildAndKill(Path db, String jobName, Path sideFile, int killAfter) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        CrashChild.class.getName(),
                        db.toString(),
                        jobName,
                        Integer.toString(STEPS),
                        sideFile.toString(),
                        "2")
                .redirectErrorStream(true)
                .start();
        UUID id = null;
        int seen = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("id ")) {
                    id = UUID.fromString(line.substring(3));
                } else if (line.startsWith("checkpointed ")) {
                    seen = Integer.parseInt(line.substring("checkpointed ".length()));
                    if (seen >= killAfter) {
                        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(id).as("child printed the job id").isNotNull();
        assertThat(seen).as("child reached the kill point").isGreaterThanOrEqualTo(killAfter);
        return new Killed(id, seen);
    }

    @Test
    void resumesFromLastCheckpointAfterKill() throws Exception {
        long seed = Support.seed("CrashRecoveryTest"); // -Djobs.test.seed=N replays a failure
        try {
            resumesFromLastCheckpointAfterKill(seed);
        } catch (AssertionError e) {
            throw Support.withSeed(e, seed);
        }
    }

    private void resumesFromLastCheckpointAfterKill(long seed) throws Exception {
        Random random = new Random(seed);
        for (int round = 0; round < 3; round++) {
            int killAfter = 5 + random.nextInt(STEPS / 2);
            Path db = dir.resolve("round" + round + ".db");
            Path side = dir.resolve("round" + round + ".steps");
            Killed killed = runChildAndKill(db, "test.steps", side, killAfter);

            try (JobManager jobs = Support.open(db)) {
                JobHandle<?> handle = jobs.handle(killed.id());
                assertThat(handle.result().get(60, TimeUnit.SECONDS))
                        .as("seed %d, killed after checkpoint %d", seed, killed.lastSeenCheckpoint())
                        .isEqualTo(StepJob.expected(STEPS));
                assertThat(jobs.info(killed.id()).attempt()).isEqualTo(2);
            }
            Map<Integer, Integer> runs = new HashMap<>();
            List<String> lines = Files.readAllLines(side);
            lines.forEach(l -> runs.merge(Integer.parseInt(l.trim()), 1, Integer::sum));
            for (int step = 0; step < STEPS; step++) {
                assertThat(runs.get(step)).as("step %d (seed %d)", step, seed).isNotNull();
            }
            List<Integer> repeated = runs.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .toList();
            // Only the step in flight at the kill (after the last committed checkpoint) may run again.
            assertThat(repeated).as("steps that ran twice (seed %d)", seed).hasSizeLessThanOrEqualTo(1);
            repeated.forEach(step -> assertThat(step)
                    .as("a repeated step is never one already checkpointed (seed %d)", seed)
                    .isGreaterThanOrEqualTo(killed.lastSeenCheckpoint()));
            assertThat(lines.size()).isLessThanOrEqualTo(STEPS + 1);
        }
    }

    @Test
    void failsNonResumableJobInterruptedByKill() throws Exception {
        Path db = dir.resolve("once.db");
        Killed killed = runChildAndKill(db, "test.steps_once", dir.resolve("once.steps"), 10);
        try (JobManager jobs = Support.open(db)) {
            JobInfo info = jobs.info(killed.id());
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.error()).hasValue(Recovery.INTERRUPTED_REASON);
            assertThatThrownBy(() -> jobs.handle(killed.id()).result().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class)
                    .hasMessageContaining("interrupted: the process ended while the job was running");
        }
    }
}
