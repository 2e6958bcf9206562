/**
 * The API a job is written against: {@code @Job}, {@code JobHandler}, {@code JobContext},
 * {@code Progress} and the exceptions a job may throw. Depends on nothing.
 */
module dev.jobs {
    exports dev.jobs;
}
