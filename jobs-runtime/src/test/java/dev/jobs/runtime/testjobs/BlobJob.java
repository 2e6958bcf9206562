package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * Checkpoints {@code rounds} times a state of {@code size} bytes, waiting for the gate
 * "{key}.round{N}" before round N (N from 1): a test can fill the disk between two checkpoints.
 */
@Job(name = "test.blob")
public class BlobJob implements JobHandler<Integer> {
    @Param
    String key;

    @Param
    int size;

    @Param
    int rounds;

    int done;
    byte[] blob;

    BlobJob() {}

    public BlobJob(String key, int size, int rounds) {
        this.key = key;
        this.size = size;
        this.rounds = rounds;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        while (done < rounds) {
            Gates.open(key + ".waiting" + (done + 1));
            while (!Gates.await(key + ".round" + (done + 1), 5)) {
                ctx.checkInterrupt();
            }
            blob = new byte[size];
            new java.util.Random(done).nextBytes(blob); // incompressible
            done++;
            ctx.checkpoint();
        }
        return done;
    }
}
