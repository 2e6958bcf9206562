package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Version 2 keeps a list of targets where version 1 kept one {@code target}. */
@Job(name = "test.versioned", version = 2)
public class VersionedJob implements JobHandler<String> {
    List<String> targets = new ArrayList<>();
    boolean failAfterCheckpoint;

    @Override
    public boolean upgradeState(int storedVersion, Map<String, Object> state) {
        if (storedVersion == 1) {
            state.put("targets", List.of(state.remove("target")));
            return true;
        }
        return false;
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        ctx.checkpoint();
        if (failAfterCheckpoint) {
            throw new IllegalStateException("stopping after the checkpoint");
        }
        return String.join(",", targets);
    }
}
