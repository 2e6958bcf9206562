package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A job that needs a service it does not store: its {@link #greeter} is a transient field the
 * host's job initializer fills. Greets {@code who + step} for each of {@code steps} steps, one
 * checkpoint per step; returns the greetings. Optionally fails once at {@code failAtStep} (after
 * saving that it did), or holds after its first step until the manager closes ({@code holdAt}: a
 * gate key, opened as "{holdAt}.held").
 */
@Job(name = "test.service")
public class ServiceJob implements JobHandler<List<String>> {

    /** The service the host gives the job. */
    public interface Greeter {
        String greet(String who);
    }

    /** Filled by the job initializer on every run; never saved. */
    public transient Greeter greeter;

    @Param
    String who;

    @Param
    int steps = 3;

    @Param
    int failAtStep = -1;

    @Param
    String holdAt;

    boolean failed;
    List<String> greetings = new ArrayList<>();

    ServiceJob() {}

    public ServiceJob(String who) {
        this.who = who;
    }

    public ServiceJob failingOnceAt(int step) {
        this.failAtStep = step;
        return this;
    }

    public ServiceJob holdingAfterFirstStep(String gate) {
        this.holdAt = gate;
        return this;
    }

    public String who() {
        return who;
    }

    @Override
    public List<String> run(JobContext ctx) throws Exception {
        if (greeter == null) {
            throw new IllegalStateException("no greeter: the job initializer did not run on this object");
        }
        while (greetings.size() < steps) {
            int step = greetings.size();
            if (step == failAtStep && !failed) {
                failed = true;
                ctx.checkpoint();
                throw new IOException("step " + step + " failed once");
            }
            greetings.add(greeter.greet(who + step));
            ctx.checkpoint();
            if (holdAt != null && !ctx.isResuming()) {
                Gates.open(holdAt + ".held");
                while (!Gates.await(holdAt + ".release", 5)) {
                    ctx.checkInterrupt(); // the manager's close stops it here, its first step saved
                }
            }
        }
        return List.copyOf(greetings);
    }
}
