package dev.jobs.runtime;

import dev.jobs.JobHandler;

/**
 * Prepares each job object before its {@code run()}: the way to give jobs the host application's
 * services (a repository, an HTTP client) without storing them with the job.
 *
 * <p>Why a hook: the runtime makes the object that runs itself, with the job's no-arg constructor,
 * and fills its fields from the stored state, for a first run and again for every resume after a
 * pause, a restart or a crash, and for every retry. Nothing the host set on the object it
 * dispatched survives that. The initializer is called on every such object, after its state was
 * read and before {@code run()}, so it can fill {@code transient} fields (never saved) from the
 * host's container. It is called on the worker thread that then runs the job.
 *
 * <pre>{@code
 * JobManager jobs = JobManager.builder()
 *         .database(Path.of("jobs.db"))
 *         .jobInitializer(job -> {
 *             if (job instanceof ReportJob report) {
 *                 report.mailer = mailer;              // a transient field
 *             }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>With Spring: {@code .jobInitializer(beanFactory::autowireBean)} ({@code
 * AutowireCapableBeanFactory}) fills {@code @Autowired transient} fields; with Guice: {@code
 * .jobInitializer(injector::injectMembers)} fills {@code @Inject transient} fields.
 *
 * <p>An exception from the initializer fails that run as an exception from {@code run()} would
 * (its retry policy applies), with a {@link JobInitializationException} that names the job and the
 * initializer. No other job is affected. An initializer that throws a {@link
 * dev.jobs.JobInterruptedException} instead (one that waits for its host to finish starting and sees
 * it stop, {@code Reason.SHUTDOWN}) stops the run as an interrupt point would: the job goes back to
 * the queue unchanged, no attempt is failed. The object given to {@code dispatch} and objects built only
 * to check parameters ({@code dispatchByName}, {@code validate()}) are not initialized: they never run.
 */
@FunctionalInterface
public interface JobInitializer {

    /**
     * Prepares {@code job}, restored from its stored state, before its {@code run()}.
     *
     * @throws Exception the job cannot be prepared: this run fails
     */
    void initialize(JobHandler<?> job) throws Exception;
}
