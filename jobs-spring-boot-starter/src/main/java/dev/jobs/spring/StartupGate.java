package dev.jobs.spring;

import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.runtime.JobInitializer;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Holds back the injection into jobs until the application context has been refreshed.
 *
 * <p>Why: the {@link dev.jobs.runtime.JobManager} starts its workers while it is built, which is while
 * the context is still creating its beans; a job interrupted by the last shutdown resumes right away,
 * on a worker thread. Asking the bean factory for its services then would race with the main thread's
 * creation of the same singletons. So a job that is about to run waits here (on its worker thread)
 * until the context is refreshed. If the context closes instead (its refresh failed, or the
 * application stops at once), the waiting run stops as at an interrupt point: the job goes back to the
 * queue unchanged, without a failed attempt, and runs at the next start.
 */
final class StartupGate implements ApplicationListener<ApplicationContextEvent>, DisposableBean {

    private final ApplicationContext context;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean ready;

    StartupGate(ApplicationContext context) {
        this.context = context;
    }

    /** {@code initializer}, called once the context is ready. */
    JobInitializer around(JobInitializer initializer) {
        return new Gated(this, initializer);
    }

    @Override
    public void onApplicationEvent(ApplicationContextEvent event) {
        if (event.getApplicationContext() != context) {
            return; // a child or parent context's event
        }
        if (event instanceof ContextRefreshedEvent) {
            ready = true;
            settled.countDown();
        } else if (event instanceof ContextClosedEvent) {
            closing();
        }
    }

    /** The context is closing, or its refresh failed and its beans are being destroyed. */
    void closing() {
        ready = false;
        settled.countDown();
    }

    @Override
    public void destroy() {
        closing();
    }

    /** Waits until the context is ready; throws if it closes first. */
    void awaitReady() throws InterruptedException {
        settled.await();
        if (!ready) {
            throw new JobInterruptedException(JobInterruptedException.Reason.SHUTDOWN);
        }
    }

    /** The host's initializer behind the gate. */
    private record Gated(StartupGate gate, JobInitializer initializer) implements JobInitializer {
        @Override
        public void initialize(JobHandler<?> job) throws Exception {
            gate.awaitReady();
            initializer.initialize(job);
        }
    }
}
