package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jobctl on a PostgreSQL database ({@code --db postgresql://...}), a real server started here. */
class JobCtlPostgresTest {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    /** {@code postgresql://postgres@localhost:PORT/postgres?schema=<a new one>}. */
    private static String freshUrl() {
        return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres?schema=cli"
                + SCHEMAS.incrementAndGet();
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static UUID idFrom(String out) {
        Matcher m = Pattern.compile("job ([0-9a-f-]{36})").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return UUID.fromString(m.group(1));
    }

    @Test
    void runsAJobInAPostgresSchemaAndListsIt() throws Exception {
        String db = freshUrl();
        Path file = file("a.txt", "hello");

        Cli.Result ran = Cli.exactly(
                "--db", db, "run", "checksum", "--no-progress", "--params", "{\"files\":[\"" + file + "\"]}");

        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(ran.out()).contains("completed");
        UUID id = idFrom(ran.out());
        Cli.Result list = Cli.exactly("--db", db, "list", "--all");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id.toString(), "checksum", "COMPLETED");
        Cli.Result status = Cli.exactly("--db", db, "status", id.toString());
        assertThat(status.out()).contains("status:     COMPLETED");
    }

    @Test
    void aJdbcUrlNamesTheSameDatabase() throws Exception {
        String schema = "cli" + SCHEMAS.incrementAndGet();
        String db = "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres?schema=" + schema;
        String jdbc = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres&schema=" + schema;
        Path file = file("b.txt", "world");
        Cli.Result ran = Cli.exactly(
                "--db", jdbc, "run", "checksum", "--no-progress", "--params", "{\"files\":[\"" + file + "\"]}");
        assertThat(ran.exit()).as(ran.err()).isZero();

        assertThat(Cli.exactly("--db", db, "list", "--all").out())
                .contains(idFrom(ran.out()).toString());
    }

    @Test
    void aBackgroundWorkerRunsTheJobFromTheSameSchema() throws Exception {
        String db = freshUrl();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path file = file("c.txt", "background");

        Process started = Cli.startWithHome(
                home, dir, db, "run", "checksum", "--bg", "--params", "{\"files\":[\"" + file + "\"]}");
        String out = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(started.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(started.exitValue()).as(out).isZero();
        UUID id = idFrom(out);

        Cli.Result log = Cli.exactly("--db", db, "log", id.toString(), "--follow"); // returns once it ended
        assertThat(log.exit()).as(log.err()).isZero();
        assertThat(Cli.exactly("--db", db, "status", id.toString()).out()).contains("status:     COMPLETED");
        // the worker's log is this machine's file, under ~/.jobs/postgresql/<host_port_database_schema>/
        String schema = db.substring(db.indexOf("schema=") + "schema=".length());
        Path logFile = home.resolve(
                ".jobs/postgresql/localhost_" + postgres.getPort() + "_postgres_" + schema + "/logs/" + id + ".log");
        assertThat(logFile).exists();
    }

    @Test
    void aCommandThatOnlyReadsRefusesASchemaWithoutJobsAndCreatesNothing() throws Exception {
        String db = freshUrl();

        Cli.Result list = Cli.exactly("--db", db, "list");

        assertThat(list.exit()).isEqualTo(5);
        assertThat(list.err()).contains("no jobs in schema cli", "`jobctl run` creates them");
        assertThat(Cli.exactly("--db", db, "list").exit())
                .as("still nothing created")
                .isEqualTo(5);
    }

    @Test
    void anUnreachableDatabaseIsReportedWithExitCode5() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free, and nothing listens once it is closed
        }

        Cli.Result list = Cli.exactly("--db", "postgresql://postgres@localhost:" + closedPort + "/postgres", "list");

        assertThat(list.exit()).isEqualTo(5);
        assertThat(list.err())
                .contains("cannot reach the PostgreSQL database postgresql://postgres@localhost:" + closedPort
                        + "/postgres?schema=jobs");
    }

    @Test
    void aUrlWithoutAHostIsABadUsage() {
        Cli.Result list = Cli.exactly("--db", "postgresql:///postgres", "list");

        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.err()).contains("names no host");
    }

    @Test
    void aSchemaThatIsNotAPlainIdentifierIsABadUsage() {
        Cli.Result list = Cli.exactly("--db", "postgresql://localhost/postgres?schema=Jobs;drop", "list");

        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.err()).contains("schema name 'Jobs;drop'");
    }
}
