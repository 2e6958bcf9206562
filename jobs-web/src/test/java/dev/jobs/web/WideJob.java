package dev.jobs.web;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.List;

/** Parameters of the kinds a form gets wrong: a long beyond 2^53, a list of integers, an optional Boolean. */
@Job(name = "web.wide")
public class WideJob implements JobHandler<String> {
    @Param
    long big;

    @Param
    List<Integer> nums = List.of();

    @Param
    Boolean flag = null;

    WideJob() {}

    @Override
    public String run(JobContext ctx) {
        return big + " " + nums + " " + flag;
    }
}
