package dev.jobs.spring;

import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.runtime.JobInitializer;
import java.util.concurrent.CountDownLatch;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Holds back the injection into jobs until the application context has been refreshed.
 *
 * <p>Why: the {@link dev.jobs.runtime.JobManager} starts its workers while it is built, which is while
 * the context is still creating its beans; a job interrupted by the last shutdown resumes right away,
 * on a worker thread. Asking the bean factory for its services then would race with the main thread's
 * creation of the same singletons. So a job that is about to run waits here (on its worker thread)
 * until the context is refreshed. If the context's beans are destroyed instead (its refresh failed),
 * the waiting run stops as at an interrupt point: the job goes back to the queue unchanged, without a
 * failed attempt, and runs at the next start.
 *
 * <p>The gate closes when it is destroyed, not on the context's close event: between that event and
 * the destruction of the beans (while the web server shuts down gracefully) the beans are still there
 * and runs that start get them as usual; a gate that refused them would only send the same jobs back
 * and forth between the queue and a worker. The auto-configuration makes the gate a dependent of the
 * manager, so that it is destroyed just before the manager closes.
 */
final class StartupGate implements ApplicationListener<ContextRefreshedEvent>, DisposableBean {

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
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext() == context) { // not a child context's refresh
            ready = true;
            settled.countDown();
        }
    }

    /** The beans are being destroyed: a run still waiting goes back to the queue. */
    @Override
    public void destroy() {
        ready = false;
        settled.countDown();
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
