package dev.jobs.runtime;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The process a crash test kills: opens a manager on the given file, dispatches a step job that
 * prints "checkpointed N" after each checkpoint, prints "id ID", and waits to be killed.
 *
 * <p>Arguments: database, job name (test.steps or test.steps_once), steps, side file, step millis.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        JobManager jobs = JobManager.builder()
                .database(Path.of(args[0]))
                .workers(1)
                .leaseDuration(Duration.ofSeconds(30))
                .build();
        String params = "{\"steps\":" + args[2] + ",\"sideFile\":" + quote(args[3]) + ",\"echo\":true,\"stepMillis\":"
                + args[4] + "}";
        JobHandle<?> handle = jobs.dispatchByName(args[1], params);
        System.out.println("id " + handle.id());
        System.out.flush();
        handle.result().join();
        System.out.println("finished");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
