package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobHandler;
import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.ServiceJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's job initializer gives jobs the host's services: it is called on every object that
 * runs (first run, resume in a new manager, retry), and what it throws fails that run only.
 */
class JobInitializerTest {

    @TempDir
    Path dir;

    /** Remembers each job object it was called on, and gives a greeter that names {@code who}. */
    private static final class Recording implements JobInitializer {
        final String who;
        final Set<JobHandler<?>> objects =
                Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        Recording(String who) {
            this.who = who;
        }

        @Override
        public void initialize(JobHandler<?> job) {
            objects.add(job);
            calls.add(job.getClass().getSimpleName());
            if (job instanceof ServiceJob service) {
                service.greeter = name -> who + ":" + name;
            }
        }
    }

    private JobManager open(JobInitializer initializer) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(10))
                .jobInitializer(initializer)
                .build();
    }

    @Test
    void aFreshRunIsInitializedBeforeItRuns() throws Exception {
        Recording init = new Recording("m1");
        ServiceJob dispatched = new ServiceJob("a");
        try (JobManager jobs = open(init)) {
            List<String> greetings = jobs.dispatch(dispatched).result().get(20, TimeUnit.SECONDS);

            assertThat(greetings).containsExactly("m1:a0", "m1:a1", "m1:a2");
            assertThat(init.calls).containsExactly("ServiceJob");
            assertThat(init.objects)
                    .as("the object that ran is the runtime's, not the dispatched one")
                    .doesNotContain(dispatched);
        }
    }

    @Test
    void aJobResumedByANewManagerOnTheSameFileIsInitializedByThatManager() throws Exception {
        Recording first = new Recording("m1");
        UUID id;
        try (JobManager jobs = open(first)) {
            id = jobs.dispatch(new ServiceJob("b").holdingAfterFirstStep("init-resume"))
                    .id();
            assertThat(Gates.await("init-resume.held", 20_000)).isTrue();
        } // close() stops the job at its interrupt point, its first step saved

        Recording second = new Recording("m2");
        try (JobManager jobs = open(second)) {
            Object output = jobs.handle(id).result().get(20, TimeUnit.SECONDS);

            assertThat(output).isEqualTo(List.of("m1:b0", "m2:b1", "m2:b2"));
            assertThat(first.calls).containsExactly("ServiceJob");
            assertThat(second.calls).containsExactly("ServiceJob");
        }
    }

    @Test
    void eachRetryIsANewObjectAndIsInitializedAgain() throws Exception {
        Recording init = new Recording("m1");
        RetryPolicy atOnce = RetryPolicy.attempts(2).withBackoff(Duration.ZERO, Duration.ZERO, 1.0);
        try (JobManager jobs = open(init)) {
            List<String> greetings = jobs.dispatch(
                            new ServiceJob("c").failingOnceAt(1),
                            DispatchOptions.defaults().retry(atOnce))
                    .result()
                    .get(20, TimeUnit.SECONDS);

            assertThat(greetings).containsExactly("m1:c0", "m1:c1", "m1:c2");
            assertThat(init.calls).containsExactly("ServiceJob", "ServiceJob");
            assertThat(init.objects).hasSize(2);
        }
    }

    @Test
    void anInitializerThatThrowsFailsThatJobOnlyAndSaysWhy() throws Exception {
        JobInitializer init = job -> {
            if (job instanceof ServiceJob service) {
                if (service.who().equals("broken")) {
                    throw new IllegalStateException("no greeter bean for 'broken'");
                }
                service.greeter = name -> "hi " + name;
            }
        };
        try (JobManager jobs = open(init)) {
            JobHandle<List<String>> broken = jobs.dispatch(new ServiceJob("broken"));
            JobHandle<List<String>> fine = jobs.dispatch(new ServiceJob("fine"));
            JobHandle<Integer> other = jobs.dispatch(new CountJob(dir.resolve("count.txt")));

            assertThatThrownBy(() -> broken.result().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(JobFailedException.class);
            assertThat(fine.result().get(20, TimeUnit.SECONDS)).containsExactly("hi fine0", "hi fine1", "hi fine2");
            assertThat(other.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);

            JobInfo failed = jobs.info(broken.id());
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error())
                    .hasValue("dev.jobs.runtime.JobInitializationException: job 'test.service' "
                            + "(dev.jobs.runtime.testjobs.ServiceJob) could not be prepared for its run: the job "
                            + "initializer (a lambda in dev.jobs.runtime.JobInitializerTest) threw "
                            + "java.lang.IllegalStateException: no greeter bean for 'broken'");
        }
    }

    @Test
    void anInitializerThatThrowsAnInterruptPutsTheJobBackInTheQueueWithoutFailingIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        JobInitializer init = job -> {
            if (calls.getAndIncrement() == 0) { // as a host that is stopping before it was ready
                throw new dev.jobs.JobInterruptedException(dev.jobs.JobInterruptedException.Reason.SHUTDOWN);
            }
            ((ServiceJob) job).greeter = name -> "hi " + name;
        };
        try (JobManager jobs = open(init)) {
            JobHandle<List<String>> handle = jobs.dispatch(new ServiceJob("e"));

            assertThat(handle.result().get(20, TimeUnit.SECONDS)).containsExactly("hi e0", "hi e1", "hi e2");
            assertThat(calls).hasValue(2);
            JobInfo info = jobs.info(handle.id());
            assertThat(info.failedAttempts()).isZero();
            assertThat(info.error()).isEmpty();
        }
    }

    @Test
    void aTransientFieldIsNeverSaved() {
        ServiceJob job = new ServiceJob("d");
        job.greeter = name -> name;
        StateCodec codec = new StateCodec();

        assertThat(codec.describe(codec.encode(job)))
                .containsKeys("who", "steps", "greetings")
                .doesNotContainKey("greeter");
    }
}
