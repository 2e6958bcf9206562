package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.testjobs.LimitedJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A type limit of one across three real JVMs: never two of its jobs running at once. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LimitProcessTest {

    @TempDir
    Path dir;

    private static Process child(Path db) throws Exception {
        return child(db, 2);
    }

    private static Process child(Path db, int workers) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        LimitChild.class.getName(),
                        db.toString(),
                        String.valueOf(workers))
                .redirectErrorStream(true)
                .start();
    }

    private static void awaitLine(Process p, String expected) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("a child ended without printing '" + expected + "'");
    }

    @Test
    void aTypeLimitOfOneHoldsAcrossThreeProcesses() throws Exception {
        Path db = dir.resolve("shared.db");
        Path log = dir.resolve("limited.txt");
        List<Process> children = new ArrayList<>();
        try (JobManager client = JobManager.builder().database(db).client().build()) {
            for (int i = 0; i < 3; i++) {
                children.add(child(db));
            }
            for (Process p : children) {
                awaitLine(p, "ready");
            }
            List<JobHandle<Void>> handles = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                handles.add(client.dispatch(new LimitedJob(log, 15)));
            }
            for (JobHandle<Void> h : handles) {
                h.result().get(120, TimeUnit.SECONDS);
            }
        } finally {
            for (Process p : children) {
                p.getOutputStream().close();
            }
            for (Process p : children) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        assertThat(LimitsTest.assertNoOverlap(log)).isEqualTo(30);
        long processes = Files.readAllLines(log).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .distinct()
                .count();
        System.out.println("limited jobs ran in " + processes + " processes");
    }

    @Test
    void aResourceOfTwoHoldsAcrossThreeProcessesOfOneWorkerEach() throws Exception {
        Path db = dir.resolve("shared.db");
        Path log = dir.resolve("held.txt");
        List<Process> children = new ArrayList<>();
        try (JobManager client = JobManager.builder().database(db).client().build()) {
            for (int i = 0; i < 3; i++) {
                children.add(child(db, 1));
            }
            for (Process p : children) {
                awaitLine(p, "ready");
            }
            List<JobHandle<Void>> handles = new ArrayList<>();
            DispatchOptions pool = DispatchOptions.defaults().resource("pool", 2);
            for (int i = 0; i < 30; i++) {
                handles.add(client.dispatch(new dev.jobs.runtime.testjobs.HoldingJob(log, 30), pool));
            }
            for (JobHandle<Void> h : handles) {
                h.result().get(120, TimeUnit.SECONDS);
            }
        } finally {
            for (Process p : children) {
                p.getOutputStream().close();
            }
            for (Process p : children) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        int most = 0;
        int open = 0;
        for (String line : Files.readAllLines(log)) {
            open += line.startsWith("start ") ? 1 : -1;
            most = Math.max(most, open);
        }
        assertThat(most).as("jobs holding the pool at once").isEqualTo(2);
        long processes = Files.readAllLines(log).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .distinct()
                .count();
        assertThat(processes)
                .as("processes that ran pool jobs (one worker each)")
                .isGreaterThanOrEqualTo(2);
    }
}
