package dev.jobs.runtime;

import dev.jobs.runtime.testjobs.FamParentJob;
import dev.jobs.runtime.testjobs.FamStepJob;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process of {@link FamilyProcessTest} and {@link FamilyAdversaryTest}: a manager on a shared
 * database (lease {@code -Dfam.lease} ms, default 2000), printing "ready PID" once built. Runs jobs
 * until its stdin is closed, then closes the manager and prints "closed".
 *
 * <ul>
 *   <li>{@code work DB WORKERS}: only runs jobs.
 *   <li>{@code chain DB WORKERS SIDE GATE}: also dispatches a chain a → b → c of {@link FamStepJob}
 *       (b has 3 steps and waits for the file GATE after its first checkpoint) and prints "chain ID".
 *   <li>{@code parent DB WORKERS SIDE PARTS BLOCK_AFTER GATE GATE_FROM PART_GATE}: also dispatches
 *       a {@link FamParentJob} of PARTS children (BLOCK_AFTER 0 = no block; "-" = no gate) and
 *       prints "parent ID".
 * </ul>
 */
public final class FamilyChild {
    private FamilyChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path db = Path.of(args[1]);
        int workers = Integer.parseInt(args[2]);
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(workers)
                .leaseDuration(Duration.ofMillis(Integer.getInteger("fam.lease", 2000)))
                .changePollInterval(Duration.ofMillis(20))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()) {
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            switch (mode) {
                case "work" -> {}
                case "chain" -> {
                    String side = args[3];
                    ChainHandle chain = jobs.chain(new FamStepJob("a", 1, side))
                            .then(new FamStepJob("b", 3, side).gate(args[4]))
                            .then(new FamStepJob("c", 1, side))
                            .dispatch();
                    System.out.println("chain " + chain.id());
                }
                case "parent" -> {
                    FamParentJob parent = new FamParentJob(Integer.parseInt(args[4]), args[3]);
                    int blockAfter = Integer.parseInt(args[5]);
                    if (blockAfter > 0) {
                        parent.blockAfter(blockAfter, args[6]);
                    }
                    if (!args[8].equals("-")) {
                        parent.partGate(Integer.parseInt(args[7]), args[8]);
                    }
                    System.out.println("parent " + jobs.dispatch(parent).id());
                }
                default -> throw new IllegalArgumentException(mode);
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our stdin
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
