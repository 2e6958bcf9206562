package dev.jobs.spring;

import dev.jobs.JobHandler;
import dev.jobs.runtime.JobInitializer;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;

/**
 * Fills the {@code @Autowired} (and {@code @Value}, {@code @Inject}) fields and methods of every job
 * object before it runs, from the application context.
 *
 * <p>Why field injection on an existing object: the runtime makes the job object itself, with the
 * no-arg constructor, and fills it from the stored state for the first run, for every resume and for
 * every retry; a constructor with services cannot be used. {@link
 * AutowireCapableBeanFactory#autowireBean} injects into an object Spring did not create (it does not
 * make the job a bean: no proxies, no lifecycle callbacks). The fields must be {@code transient}, so
 * that they are never saved with the job's state.
 */
record SpringJobInitializer(AutowireCapableBeanFactory beans) implements JobInitializer {

    @Override
    public void initialize(JobHandler<?> job) {
        beans.autowireBean(job);
    }
}
