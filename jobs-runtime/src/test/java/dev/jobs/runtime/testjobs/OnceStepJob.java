package dev.jobs.runtime.testjobs;

import dev.jobs.Job;

/** {@link StepJob}, but not resumable: a crash mid-run must leave it FAILED. */
@Job(name = "test.steps_once", resumable = false)
public class OnceStepJob extends StepJob {
    public OnceStepJob() {}
}
