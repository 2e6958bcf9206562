package dev.jobs.spring;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import org.springframework.beans.factory.annotation.Autowired;

/** A job that needs a {@link Greeter} bean, for the auto-configuration tests. */
@Job(name = "greet")
public class GreetJob implements JobHandler<String> {

    /** A service of the application. */
    public interface Greeter {
        String greet(String who);
    }

    @Param
    String who;

    @Autowired
    transient Greeter greeter;

    GreetJob() {}

    GreetJob(String who) {
        this.who = who;
    }

    /** For an application's own job initializer. */
    public void use(Greeter greeter) {
        this.greeter = greeter;
    }

    @Override
    public String run(JobContext ctx) {
        if (greeter == null) {
            throw new IllegalStateException("no greeter was injected");
        }
        return greeter.greet(who);
    }
}
