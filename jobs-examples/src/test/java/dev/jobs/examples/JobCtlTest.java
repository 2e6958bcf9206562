package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real jobctl: in this JVM, and with --bg through real detached worker processes. */
@org.junit.jupiter.api.Timeout(
        value = 5,
        unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class JobCtlTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    private static UUID idFrom(String out) {
        Matcher m = Pattern.compile("job ([0-9a-f-]{36})").matcher(out);
        assertThat(m.find()).as("an id in: " + out).isTrue();
        return UUID.fromString(m.group(1));
    }

    private static void awaitWorkerExit(String out) throws Exception {
        Matcher m = Pattern.compile("worker pid (\\d+)").matcher(out);
        if (m.find()) {
            Optional<ProcessHandle> worker = ProcessHandle.of(Long.parseLong(m.group(1)));
            if (worker.isPresent()) {
                worker.get().onExit().get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void runInBackgroundThenListFollowLogAndSeeItComplete() throws Exception {
        Path source = Trees.make(dir.resolve("src"), 2, 3, 50_000);
        Cli.Result started = Cli.run(
                db(),
                "run",
                "file_copy",
                "--bg",
                "--params",
                "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst") + "\"}");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).contains("runs in the background", "log: ", "jobctl log ");
        UUID id = idFrom(started.out());
        Matcher logPath = Pattern.compile("log: (\\S+)").matcher(started.out());
        assertThat(logPath.find()).isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(Path.of(logPath.group(1)))))
                .as("the worker's log file")
                .isEqualTo("rw-------");

        Cli.Result listed = Cli.run(db(), "list", "--all");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains(id.toString(), "file_copy");

        Cli.Result log = Cli.run(db(), "log", id.toString().substring(0, 13), "--follow");
        assertThat(log.exit()).isZero();
        assertThat(log.out()).contains("planned 8 files", "copied 8 files");

        Cli.Result status = Cli.run(db(), "status", id.toString());
        assertThat(status.out()).contains("status:     COMPLETED", "\"copiedCount\":8");
        awaitWorkerExit(started.out());
        Trees.assertSameTree(source, dir.resolve("dst/src"));
    }

    @Test
    void cancelFromASecondInvocationStopsABackgroundJob() throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 0, 16 << 20);
        Cli.Result started = Cli.run(
                db(),
                "run",
                "file_copy",
                "--bg",
                "--params",
                "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst")
                        + "\",\"checkpointBytes\":262144,\"throttleMillis\":50}");
        UUID id = idFrom(started.out());
        Cli.Result cancelled = Cli.run(db(), "cancel", id.toString());
        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).contains("cancelling job " + id);

        Cli.Result log = Cli.run(db(), "log", id.toString(), "--follow"); // returns once the job has ended
        assertThat(log.exit()).isZero();
        assertThat(Cli.run(db(), "status", id.toString()).out()).contains("status:     CANCELLED");
        awaitWorkerExit(started.out());
    }

    @Test
    void cleanRemovesFinishedJobs() throws Exception {
        Path file = Trees.make(dir.resolve("src"), 1, 1, 10).resolve("dir0/file0.txt");
        Cli.Result ran =
                Cli.run(db(), "run", "checksum", "--no-progress", "--params", "{\"files\":[\"" + file + "\"]}");
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out()).contains("completed");
        assertThat(Cli.run(db(), "clean", "--older-than", "7d").out()).contains("deleted 0 finished jobs");
        assertThat(Cli.run(db(), "clean", "--older-than", "0s").out()).contains("deleted 1 finished jobs");
        assertThat(Cli.run(db(), "list", "--all").out()).contains("no jobs");
    }

    @Test
    void unknownJobIsAOneLineErrorWithExitCode3() {
        Cli.Result r = Cli.run(db(), "run", "file_cpy", "--params", "{}");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip())
                .startsWith("jobctl: unknown job 'file_cpy'; known jobs: checksum, file_copy, indexer")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void malformedJsonIsAOneLineErrorWithExitCode4() {
        Cli.Result r = Cli.run(db(), "run", "file_copy", "--params", "{\"sources\": [");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err().strip())
                .startsWith("jobctl: invalid parameters for job 'file_copy': malformed JSON")
                .doesNotContain("\n");
    }

    @Test
    void missingParameterNamesTheField() {
        Cli.Result r = Cli.run(db(), "run", "file_copy", "--params", "{\"sources\": [\"a\"]}");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("field 'destination': is required but missing");
    }

    @Test
    void unknownIdIsAOneLineErrorWithExitCode3() {
        assertThat(Cli.run(db(), "list").exit()).isZero(); // creates the database
        Cli.Result r = Cli.run(db(), "status", UUID.randomUUID().toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("jobctl: no job with id").doesNotContain("\n");
        Cli.Result prefix = Cli.run(db(), "cancel", "dead");
        assertThat(prefix.exit()).isEqualTo(3);
        assertThat(prefix.err()).contains("no job with an id starting with 'dead'");
    }

    @Test
    void badDurationAndUsageErrorsAreClear() {
        Cli.Result r = Cli.run(db(), "clean", "--older-than", "soon");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo("jobctl: 'soon' is not a duration; use for example 30s, 15m, 12h, 7d or 2w");
        assertThat(Cli.run(db(), "frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void typesAndSchemaDescribeTheJobs() {
        assertThat(Cli.run(db(), "types").out())
                .contains("file_copy", "indexer", "checksum", "Copy files and directory trees");
        Cli.Result schema = Cli.run(db(), "schema", "indexer");
        assertThat(schema.exit()).isZero();
        assertThat(schema.out()).contains("\"location\"", "\"enum\" : [ \"METADATA\", \"CONTENT\", \"DEEP\" ]");
    }

    @Test
    void demoRunsEndToEnd() {
        Cli.Result demo =
                Cli.run(db(), "demo", "--quick", "--dir", dir.resolve("demo").toString());
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out())
                .contains("paused: status PAUSED", "file_copy COMPLETED after 2 runs", "indexer COMPLETED");
    }

    @Test
    void listAllShowsARowWithAForeignIdAsUnreadableAndListsTheRest() throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 1, 1_000);
        Cli.Result ran = Cli.run(
                db(),
                "run",
                "file_copy",
                "--params",
                "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst") + "\"}");
        assertThat(ran.exit()).as(ran.err()).isZero();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db());
                java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (id, name, version, status, priority, created_at) "
                    + "VALUES ('imported-42', 'file_copy', 1, 'QUEUED', 0, 1)");
        }
        Cli.Result listed = Cli.run(db(), "list", "--all");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(idFrom(ran.out()).toString(), "COMPLETED");
        assertThat(listed.out()).contains("imported-42", "UNREADABLE", "its id is not a UUID");
    }
}
