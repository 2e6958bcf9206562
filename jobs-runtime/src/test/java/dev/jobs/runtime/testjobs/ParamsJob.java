package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Has parameters of several types; returns a summary of what it was given. */
@Job(name = "test.params", description = "Echoes its parameters")
public class ParamsJob implements JobHandler<ParamsJob.Summary> {
    public enum Mode {
        FAST,
        SAFE
    }

    public record Options(boolean verify, int retries) {}

    public record Summary(int files, String destination, Mode mode, boolean verify, int retries, int weights) {}

    @Param
    List<Path> sources;

    @Param
    Path destination;

    @Param(required = false)
    Mode mode = Mode.SAFE;

    @Param(required = false)
    Options options = new Options(false, 1);

    @Param(required = false)
    Map<String, Double> weights = Map.of();

    @Override
    public Summary run(JobContext ctx) {
        return new Summary(
                sources.size(), destination.toString(), mode, options.verify(), options.retries(), weights.size());
    }
}
