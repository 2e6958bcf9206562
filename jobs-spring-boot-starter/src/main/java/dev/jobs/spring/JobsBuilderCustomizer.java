package dev.jobs.spring;

import dev.jobs.runtime.JobManagerBuilder;

/**
 * Changes the builder of the auto-configured {@link dev.jobs.runtime.JobManager} after the {@code
 * jobs.*} properties were applied and before it is built: for the options that are code rather than
 * configuration (listeners, notifications, a clock, an executor). Every bean of this type is
 * applied, in {@link org.springframework.core.annotation.Order} order.
 *
 * <pre>{@code
 * @Bean
 * JobsBuilderCustomizer alerts(AlertService alerts) {
 *     return builder -> builder.notifications(Notifications.builder()
 *             .onFailure(e -> alerts.send(e.jobName() + " failed"))
 *             .build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface JobsBuilderCustomizer {

    /** Sets options on {@code builder}; called once, before {@code build()}. */
    void customize(JobManagerBuilder builder);
}
