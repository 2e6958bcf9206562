package dev.jobs.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A second process on a shared database, for the multi-process tests.
 *
 * <ul>
 *   <li>{@code count DB SIDE N}: dispatches N count jobs, runs jobs until no job is active, exits.
 *   <li>{@code steps DB SIDE N STEPS MILLIS}: dispatches N slow step jobs (side files SIDE.0 ...),
 *       echoes checkpoints, runs until killed.
 * </ul>
 */
public final class WorkerChild {
    private WorkerChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path db = Path.of(args[1]);
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(2)
                .leaseDuration(Duration.ofSeconds(2))
                .changePollInterval(Duration.ofMillis(50))
                .build()) {
            int n = Integer.parseInt(args[3]);
            if (mode.equals("count")) {
                for (int i = 0; i < n; i++) {
                    jobs.dispatchByName("test.count", "{\"sideFile\":" + quote(args[2]) + "}");
                }
                System.out.println("dispatched");
                while (!jobs.active().isEmpty()) {
                    Thread.sleep(50);
                }
                System.out.println("idle");
            } else {
                for (int i = 0; i < n; i++) {
                    JobHandle<?> h = jobs.dispatchByName(
                            "test.steps",
                            "{\"steps\":" + args[4] + ",\"sideFile\":" + quote(args[2] + "." + i)
                                    + ",\"echo\":true,\"stepMillis\":" + args[5] + "}");
                    System.out.println("id " + h.id());
                }
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
