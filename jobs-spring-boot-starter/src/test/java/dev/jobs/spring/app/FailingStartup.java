package dev.jobs.spring.app;

import dev.jobs.runtime.events.JobEvent;
import dev.jobs.spring.JobsBuilderCustomizer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code ledger.fail-on-start=true}, the application fails to start once the manager has
 * started a job (one resumed from the last run), while that job waits for the context to be ready.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("ledger.fail-on-start")
public class FailingStartup {

    /** Counts down when the manager starts a job. */
    public static final class Started {
        final CountDownLatch latch = new CountDownLatch(1);
    }

    @Bean
    Started started() {
        return new Started();
    }

    @Bean
    JobsBuilderCustomizer startedListener(Started started) {
        return builder -> builder.listener(event -> {
            if (event instanceof JobEvent.Started) {
                started.latch.countDown();
            }
        });
    }

    /** A bean of the application that fails, created after the manager (it needs it). */
    @Bean
    Object failing(dev.jobs.runtime.JobManager jobs, Started started) throws InterruptedException {
        if (!started.latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no job was started");
        }
        throw new IllegalStateException("the application fails to start");
    }
}
