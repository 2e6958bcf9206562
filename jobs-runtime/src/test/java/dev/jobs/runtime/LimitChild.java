package dev.jobs.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A process of {@link LimitProcessTest}: opens a manager with 2 workers on a shared database,
 * prints "ready", and runs jobs until its stdin is closed; then closes the manager and prints
 * "closed". Arguments: the database, and optionally the number of workers (default 2).
 */
public final class LimitChild {
    private LimitChild() {}

    public static void main(String[] args) throws Exception {
        try (JobManager jobs = JobManager.builder()
                .database(Path.of(args[0]))
                .workers(args.length > 1 ? Integer.parseInt(args[1]) : 2)
                .changePollInterval(Duration.ofMillis(20))
                .shutdownTimeout(Duration.ofSeconds(30))
                .build()) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our stdin
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
