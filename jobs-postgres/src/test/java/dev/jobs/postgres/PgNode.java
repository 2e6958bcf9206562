package dev.jobs.postgres;

import dev.jobs.runtime.JobManager;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A node of the PostgreSQL fault tests ({@link PostgresFaultTest}), run as its own JVM: a
 * JobManager on the given database and schema that runs jobs until its stdin is closed, then
 * closes and prints "closed". Prints "ready PID" once it runs.
 *
 * <p>Arguments: {@code URL SCHEMA DATA_DIR WORKERS LEASE_MS UNWRITTEN POLL_MS}.
 */
public final class PgNode {
    private PgNode() {}

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setConnectTimeout(5);
        try (JobManager jobs = JobManager.builder()
                .store(PostgresStore.of(dataSource).schema(args[1]))
                .dataDirectory(Path.of(args[2]))
                .workers(Integer.parseInt(args[3]))
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[4])))
                .maxUnwrittenCompletions(Integer.parseInt(args[5]))
                .changePollInterval(Duration.ofMillis(Long.parseLong(args[6])))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()) {
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // runs until the test closes stdin
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
