package dev.jobs.test;

/**
 * Entry point of the AssertJ assertions for {@link JobRun}.
 *
 * <pre>{@code
 * import static dev.jobs.test.JobAssertions.assertThat;
 *
 * assertThat(run).isCompleted().hasOutput(42).progressIsMonotonic().reachesFullProgress()
 *                .loggedLineContaining("done");
 * }</pre>
 */
public final class JobAssertions {
    private JobAssertions() {}

    public static <O> JobRunAssert<O> assertThat(JobRun<O> run) {
        return new JobRunAssert<>(run);
    }
}
