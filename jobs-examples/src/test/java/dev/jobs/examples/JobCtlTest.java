package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .startsWith("jobctl: unknown job 'file_cpy'; known jobs: checksum, checksum-tree, file_copy, indexer")
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

    /** Creates an empty jobs database, as any manager does. */
    private void createDatabase() {
        JobManager.builder().database(db()).client().build().close();
    }

    @Test
    void unknownIdIsAOneLineErrorWithExitCode3() {
        createDatabase();
        Cli.Result r = Cli.run(db(), "status", UUID.randomUUID().toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("jobctl: no job with id").doesNotContain("\n");
        Cli.Result prefix = Cli.run(db(), "cancel", "dead");
        assertThat(prefix.exit()).isEqualTo(3);
        assertThat(prefix.err()).contains("no job with an id starting with 'dead'");
    }

    @Test
    void badDurationIsAUsageErrorThatSaysWhatToGive() {
        createDatabase();
        Cli.Result r = Cli.run(db(), "clean", "--older-than", "soon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "jobctl: invalid value for option '--older-than': 'soon' is not a duration;"
                                + " use for example 30s, 15m, 12h, 7d or 2w",
                        "Try 'jobctl clean --help'.");
    }

    @Test
    void durationBeyondTheLongestIsAUsageErrorNotAnOverflow() {
        createDatabase();
        Cli.Result r = Cli.run(db(), "clean", "--older-than", "99999999999999w");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err())
                .contains("'99999999999999w' is too long; the longest accepted is 36500d")
                .doesNotContainIgnoringCase("overflow");
    }

    @Test
    void unknownCommandIsOneLineWithAHintAndExitCode2() {
        Cli.Result r = Cli.run(db(), "frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "jobctl: unknown command 'frobnicate'; the commands are run, exec, list, status, log, pause,"
                                + " resume, cancel, clean, types, schema, demo, worker, serve, schedule, help",
                        "Try 'jobctl --help'.");
    }

    @Test
    void missingArgumentIsOneLineWithAHintToTheCommandsHelpAndExitCode2() {
        Cli.Result r = Cli.run(db(), "run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly("jobctl: missing required parameter: 'NAME'", "Try 'jobctl run --help'.");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownOptionOfASubcommandIsOneLineWithAHintAndExitCode2() {
        Cli.Result r = Cli.run(db(), "list", "--frob");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .containsExactly("jobctl: unknown option '--frob'", "Try 'jobctl list --help'.");
    }

    @Test
    void everyCommandPrintsItsHelpWithoutTouchingTheDatabase() {
        Path missing = dir.resolve("nowhere/jobs.db");
        for (String command : List.of(
                "run",
                "list",
                "status",
                "log",
                "pause",
                "resume",
                "cancel",
                "clean",
                "types",
                "schema",
                "demo",
                "worker",
                "schedule")) {
            Cli.Result r = Cli.run(missing, command, "--help");
            assertThat(r.exit()).as(command + ": " + r.err()).isZero();
            assertThat(r.out())
                    .as(command)
                    .startsWith("Usage: jobctl " + command)
                    .contains("--db=FILE");
        }
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void databaseOptionIsAcceptedAfterTheSubcommandAndItsArguments() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "abc");
        Cli.Result ran = Cli.exactly(
                "run",
                "checksum",
                "--no-progress",
                "--params",
                "{\"files\":[\"" + file + "\"]}",
                "--db",
                db().toString());
        assertThat(ran.exit()).as(ran.err()).isZero();
        UUID id = idFrom(ran.out());

        Cli.Result status = Cli.exactly("status", id.toString(), "--db", db().toString());
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("status:     COMPLETED");
        Cli.Result listed = Cli.exactly("list", "--db", db().toString(), "--all");
        assertThat(listed.out()).contains(id.toString());
    }

    @Test
    void commandsThatOnlyReadOrControlRefuseAMissingDatabaseAndCreateNothing() {
        Path missing = dir.resolve("nowhere/jobs.db");
        String id = UUID.randomUUID().toString();
        for (List<String> command : List.of(
                List.of("list"),
                List.of("status", id),
                List.of("log", id),
                List.of("pause", id),
                List.of("resume", id),
                List.of("resume", id, "--fg"),
                List.of("cancel", id),
                List.of("clean", "--older-than", "7d"),
                List.of("schedule", "list"),
                List.of("schedule", "pause", "x"),
                List.of("schedule", "resume", "x"),
                List.of("schedule", "rm", "x"),
                List.of("schedule", "run-now", "x"))) {
            Cli.Result r = Cli.run(missing, command.toArray(String[]::new));
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(5);
            assertThat(r.err().lines().toList())
                    .as(command.toString())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("jobctl: no database at " + missing);
        }
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void typesAndSchemaWorkWithoutADatabaseAndCreateNone() {
        Path missing = dir.resolve("nowhere/jobs.db");
        assertThat(Cli.run(missing, "types").exit()).isZero();
        assertThat(Cli.run(missing, "schema", "file_copy").exit()).isZero();
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void idThatCannotBeAJobIdExitsWith3AndSaysSo() {
        createDatabase();
        Cli.Result r = Cli.run(db(), "status", "zz");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).startsWith("jobctl: 'zz' is not a job id").doesNotContain("\n");
    }

    @Test
    void prefixOfSeveralJobsExitsWith3AndAsksForMore() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "abc");
        String params = "{\"files\":[\"" + file + "\"]}";
        String first = idFrom(Cli.run(db(), "run", "checksum", "--no-progress", "--params", params)
                        .out())
                .toString();
        String second = idFrom(Cli.run(db(), "run", "checksum", "--no-progress", "--params", params)
                        .out())
                .toString();
        int common = 0;
        while (first.charAt(common) == second.charAt(common)) {
            common++;
        }
        // ids are time-ordered: two made a moment apart share far more than 4 characters
        org.junit.jupiter.api.Assumptions.assumeTrue(common >= 4, first + " and " + second);

        Cli.Result r = Cli.run(db(), "status", first.substring(0, common));

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).contains("matches several jobs").doesNotContain("\n");
    }

    @Test
    void cleanDeletesTheWorkerLogFilesOfTheJobsItDeletesAndNoOthers() throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "abc");
        Cli.Result started = Cli.run(db(), "run", "checksum", "--bg", "--params", "{\"files\":[\"" + file + "\"]}");
        assertThat(started.exit()).as(started.err()).isZero();
        UUID id = idFrom(started.out());
        Cli.run(db(), "log", id.toString(), "--follow"); // returns once the job has ended
        awaitWorkerExit(started.out());
        Path log = dir.resolve("logs/" + id + ".log");
        assertThat(log).exists();
        // the log of a job of another database in the same directory
        Path foreign = Files.writeString(dir.resolve("logs/" + UUID.randomUUID() + ".log"), "another database's job");

        Cli.Result cleaned = Cli.run(db(), "clean", "--older-than", "0s");

        assertThat(cleaned.exit()).as(cleaned.err()).isZero();
        assertThat(cleaned.out()).contains("deleted 1 finished jobs", "1 worker log files");
        assertThat(log).doesNotExist();
        assertThat(foreign).exists();
    }

    @Test
    void checksumOfOnlyMissingFilesFailsAndRunExits1() {
        Cli.Result r = Cli.run(
                db(),
                "run",
                "checksum",
                "--no-progress",
                "--params",
                "{\"files\":[\"" + dir.resolve("gone1") + "\",\"" + dir.resolve("gone2") + "\"]}");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "failed",
                        "none of the 2 files could be hashed",
                        dir.resolve("gone1").toString());
    }

    @Test
    void indexerOfAMissingLocationFailsAndRunExits1() {
        Cli.Result r = Cli.run(
                db(),
                "run",
                "indexer",
                "--no-progress",
                "--params",
                "{\"location\":\"" + dir.resolve("gone") + "\",\"index\":\"" + dir.resolve("index.db") + "\"}");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("failed", "location " + dir.resolve("gone") + " does not exist");
        assertThat(dir.resolve("index.db")).doesNotExist();
    }

    @Test
    void tildeInPathParametersIsTheHomeDirectory() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path photos = Trees.make(home.resolve("photos"), 1, 2, 1_000);
        Process child = Cli.startWithHome(
                home,
                work,
                db(),
                "run",
                "file_copy",
                "--no-progress",
                "--params",
                "{\"sources\":[\"~/photos\"],\"destination\":\"~/backup\"}");
        String output;
        try {
            output = new ChildOutput(child).awaitEnd(java.time.Duration.ofSeconds(120));
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(output).isZero();
        Trees.assertSameTree(photos, home.resolve("backup/photos"));
        assertThat(work.resolve("~")).as("a directory named ~").doesNotExist();
    }

    @Test
    void listMarksARunningJobWhoseWorkerWasKilled() throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 0, 16 << 20);
        try (JobManager client = JobManager.builder().database(db()).client().build()) {
            Cli.Result started = Cli.run(
                    db(),
                    "run",
                    "file_copy",
                    "--bg",
                    "--params",
                    "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst")
                            + "\",\"checkpointBytes\":262144,\"throttleMillis\":100}");
            assertThat(started.exit()).as(started.err()).isZero();
            UUID id = idFrom(started.out());
            Matcher pid = Pattern.compile("worker pid (\\d+)").matcher(started.out());
            assertThat(pid.find()).isTrue();
            ProcessHandle worker =
                    ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
            try {
                // running, with a checkpoint, and the worker has recorded which process it is
                dev.jobs.runtime.JobInfo running = StoredState.await(
                        client,
                        id,
                        "RUNNING with a checkpoint",
                        info -> info.status() == dev.jobs.JobStatus.RUNNING
                                && info.lastCheckpoint().isPresent()
                                && info.owner().isPresent()
                                && Files.exists(dir.resolve(
                                        "logs/owners/" + info.owner().get())),
                        java.time.Duration.ofSeconds(60));
                assertThat(Cli.run(db(), "list").out())
                        .as("while the worker runs")
                        .doesNotContain("owner gone");

                worker.destroyForcibly(); // SIGKILL: the job stays RUNNING in the store
                worker.onExit().get(30, TimeUnit.SECONDS);

                assertThat(client.info(id).status()).isEqualTo(dev.jobs.JobStatus.RUNNING);
                assertThat(client.info(id).owner()).isEqualTo(running.owner());
                Cli.Result listed = Cli.run(db(), "list");
                assertThat(listed.out())
                        .contains(id.toString(), "RUNNING", "owner gone: process " + worker.pid() + " ended")
                        .contains("resumes on next worker start");
            } finally {
                worker.destroyForcibly();
            }
        }
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
                .contains(
                        "paused: status PAUSED",
                        "file_copy COMPLETED after 2 runs",
                        "indexer COMPLETED",
                        "process COMPLETED: tar exited with 0",
                        "dashboard, while the demo runs (read-only): http://127.0.0.1:",
                        " serve   (then open http://127.0.0.1:8080/)");
        assertThat(dir.resolve("demo/backup.tar.gz")).isNotEmptyFile();
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
