package dev.jobs.runtime;

import dev.jobs.runtime.testjobs.AdvOnceJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A worker process for the adversary scenarios ({@link Adversary}). Configured by system properties:
 * adv.workers (2), adv.lease ms (1000), adv.poll ms (50), adv.busy ms (10000).
 * <ul>
 *   <li>{@code work DB}: runs jobs until the file DB.stop exists.
 *   <li>{@code handoff DB SIDE N MILLIS}: also dispatches N adv.once jobs of MILLIS one at a time
 *       (each once the previous one ended: the direct hand-off path), then runs until DB.stop.
 * </ul>
 */
public final class AdvChild {
    private AdvChild() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[1]);
        JobManagerBuilder b = JobManager.builder()
                .database(db)
                .workers(Integer.getInteger("adv.workers", 2))
                .leaseDuration(Duration.ofMillis(Integer.getInteger("adv.lease", 1000)))
                .changePollInterval(Duration.ofMillis(Integer.getInteger("adv.poll", 50)))
                .busyTimeout(Duration.ofMillis(Integer.getInteger("adv.busy", 10_000)))
                .shutdownTimeout(Duration.ofSeconds(5))
                .maxUnwrittenCompletions(8 * Integer.getInteger("adv.workers", 2));
        try (JobManager jobs = b.build()) {
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            if (args[0].equals("handoff")) {
                Path side = Path.of(args[2]);
                int n = Integer.parseInt(args[3]);
                int millis = Integer.parseInt(args[4]);
                for (int i = 0; i < n; i++) {
                    JobHandle<Integer> h = jobs.dispatch(new AdvOnceJob(millis, side));
                    System.out.println("dispatched " + h.id());
                    System.out.flush();
                    try {
                        h.result().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        System.out.println("result " + h.id() + " " + e);
                    }
                }
                System.out.println("dispatched all");
                System.out.flush();
            }
            Path stop = Path.of(db + ".stop");
            while (!Files.exists(stop)) {
                Thread.sleep(50);
            }
        }
        System.out.println("closed");
    }
}
