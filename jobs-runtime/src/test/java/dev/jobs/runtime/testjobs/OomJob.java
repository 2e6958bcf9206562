package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import java.util.ArrayList;
import java.util.List;

/** Allocates until the heap is exhausted; the OutOfMemoryError leaves run() and its garbage with it. */
@Job(name = "test.oom")
public class OomJob implements JobHandler<Integer> {
    public OomJob() {}

    @Override
    public Integer run(JobContext ctx) {
        List<long[]> hog = new ArrayList<>();
        while (true) {
            hog.add(new long[1 << 20]);
        }
    }
}
