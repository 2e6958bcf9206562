package dev.jobs.runtime;

import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import java.util.function.Supplier;

/** A hand-written registration for tests that need one the processor did not generate. */
record StubRegistration<J extends JobHandler<?>>(String name, Class<J> jobType, Supplier<J> factory)
        implements JobRegistration<J> {

    public Class<?> outputType() {
        return Object.class;
    }

    public boolean resumable() {
        return true;
    }

    public String description() {
        return "";
    }

    public int version() {
        return 1;
    }

    public J newInstance() {
        return factory.get();
    }

    public String parameterSchema() {
        return "{}";
    }
}
