package dev.jobs.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A worker process for the fault tests ({@link FaultToleranceTest}).
 *
 * <ul>
 *   <li>{@code drain DB}: 2 workers, 2 s lease; runs jobs until none is active, then prints "idle" and exits.
 *   <li>{@code steps DB SIDE STEPS MILLIS LEASE_MS}: dispatches one step job (echoing its checkpoints) and
 *       runs it; prints "done" and exits when it completes.
 *   <li>{@code once DB NAME}: dispatches job NAME if the database has no job yet, runs until every job is
 *       finished, prints "finished"; a job that kills the JVM ends it first.
 * </ul>
 */
public final class FaultChild {
    private FaultChild() {}

    /** The children's bound on unwritten completions: tighter than the default, so the tests can count against it. */
    static final int UNWRITTEN = 16;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path db = Path.of(args[1]);
        switch (mode) {
            case "drain" -> {
                try (JobManager jobs = JobManager.builder()
                        .database(db)
                        .workers(2)
                        .leaseDuration(Duration.ofSeconds(2))
                        .maxUnwrittenCompletions(UNWRITTEN)
                        .changePollInterval(Duration.ofMillis(50))
                        .build()) {
                    System.out.println("ready");
                    System.out.flush();
                    // jobs may be dispatched only once every process is ready: wait for them first
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (jobs.active().isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    while (!jobs.active().isEmpty()) {
                        Thread.sleep(50);
                    }
                    System.out.println("idle");
                }
            }
            case "steps" -> {
                try (JobManager jobs = JobManager.builder()
                        .database(db)
                        .workers(2)
                        .leaseDuration(Duration.ofMillis(Long.parseLong(args[5])))
                        .changePollInterval(Duration.ofMillis(50))
                        .build()) {
                    JobHandle<?> h = jobs.dispatchByName(
                            "test.steps",
                            "{\"steps\":" + args[3] + ",\"sideFile\":\"" + args[2].replace("\\", "\\\\")
                                    + "\",\"echo\":true,\"stepMillis\":" + args[4] + "}");
                    System.out.println("id " + h.id());
                    System.out.flush();
                    System.out.println("result " + h.result().get());
                    System.out.println("done");
                }
            }
            case "once" -> {
                try (JobManager jobs =
                        JobManager.builder().database(db).workers(1).build()) {
                    if (jobs.list(JobQuery.all()).isEmpty()) {
                        jobs.dispatchByName(args[2], "{}");
                    }
                    while (!jobs.active().isEmpty()) {
                        Thread.sleep(50);
                    }
                    System.out.println("finished");
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }
}
