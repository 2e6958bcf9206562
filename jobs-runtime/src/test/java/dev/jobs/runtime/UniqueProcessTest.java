package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Unique keys across real JVMs: two processes dispatching over the same keys make one job per key. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UniqueProcessTest {

    @TempDir
    Path dir;

    private static Process child(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                UniqueChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String awaitLine(BufferedReader out, String prefix) throws Exception {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child ended without printing '" + prefix + "'");
    }

    @Test
    void twoProcessesDispatchingAThousandTimesOverAHundredKeysMakeAHundredJobs() throws Exception {
        Path db = dir.resolve("shared.db");
        Path side = dir.resolve("ran.txt");
        try (JobManager init = JobManager.builder().database(db).client().build()) {
            assertThat(init.isClient()).isTrue(); // the schema exists before both children start
        }
        Process a = child(db.toString(), side.toString(), "1000", "100");
        Process b = child(db.toString(), side.toString(), "1000", "100");
        BufferedReader outA = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader outB = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
        awaitLine(outA, "ready");
        awaitLine(outB, "ready");
        Writer inA = new OutputStreamWriter(a.getOutputStream(), StandardCharsets.UTF_8);
        Writer inB = new OutputStreamWriter(b.getOutputStream(), StandardCharsets.UTF_8);
        inA.write("go\n");
        inB.write("go\n");
        inA.flush();
        inB.flush();
        int existingA = Integer.parseInt(awaitLine(outA, "dispatched").split(" ")[3]);
        int existingB = Integer.parseInt(awaitLine(outB, "dispatched").split(" ")[3]);
        awaitLine(outA, "closed");
        awaitLine(outB, "closed");
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("existing handles: A " + existingA + ", B " + existingB);

        try (JobManager check = JobManager.builder().database(db).client().build()) {
            List<dev.jobs.runtime.JobInfo> all = check.list(JobQuery.all().limit(10_000));
            Map<String, Long> perKey = all.stream()
                    .collect(Collectors.groupingBy(j -> j.uniqueKey().orElseThrow(), Collectors.counting()));
            assertThat(perKey)
                    .hasSize(100)
                    .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
            assertThat(all).allMatch(j -> j.status() == dev.jobs.JobStatus.COMPLETED);
            assertThat(existingA + existingB).isEqualTo(1_900);
            assertThat(Files.readAllLines(side)).as("each job ran once").hasSize(100);
        }
    }
}
