package dev.jobs.test;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.LogLine;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a {@link JobRun}; start with {@link JobAssertions#assertThat(JobRun)}. */
public final class JobRunAssert<O> extends AbstractAssert<JobRunAssert<O>, JobRun<O>> {

    JobRunAssert(JobRun<O> actual) {
        super(actual, JobRunAssert.class);
    }

    public JobRunAssert<O> hasStatus(JobStatus status) {
        isNotNull();
        if (actual.status() != status) {
            failWithMessage(
                    "expected job %s to be %s but it was %s%s%s",
                    actual.name(),
                    status,
                    actual.status(),
                    actual.error() == null ? "" : " with error: " + actual.error(),
                    actual.explanation().map(e -> "\n" + e).orElse(""));
        }
        return this;
    }

    public JobRunAssert<O> isCompleted() {
        return hasStatus(JobStatus.COMPLETED);
    }

    public JobRunAssert<O> isCancelled() {
        return hasStatus(JobStatus.CANCELLED);
    }

    public JobRunAssert<O> isFailed() {
        return hasStatus(JobStatus.FAILED);
    }

    /** Failed with an exception of this type (its class name is part of the stored error) and message text. */
    public JobRunAssert<O> failedWith(Class<? extends Throwable> type, String messagePart) {
        isFailed();
        if (actual.error() == null
                || !actual.error().startsWith(type.getName())
                || !actual.error().contains(messagePart)) {
            failWithMessage(
                    "expected job %s to fail with %s containing <%s> but the error was <%s>",
                    actual.name(), type.getName(), messagePart, actual.error());
        }
        return this;
    }

    public JobRunAssert<O> hasOutput(O expected) {
        isCompleted();
        if (!Objects.equals(actual.output(), expected)) {
            failWithMessage("expected output <%s> but was <%s>", expected, actual.output());
        }
        return this;
    }

    public JobRunAssert<O> hasOutputSatisfying(Consumer<O> requirements) {
        isCompleted();
        requirements.accept(actual.output());
        return this;
    }

    /** Every progress value that has a fraction is at least the one before. */
    public JobRunAssert<O> progressIsMonotonic() {
        isNotNull();
        double last = -1;
        int i = 0;
        for (Progress p : actual.progress()) {
            OptionalDouble f = p.fraction();
            if (f.isPresent()) {
                if (f.getAsDouble() < last) {
                    failWithMessage("progress went backwards at report %d: %s after %s", i, f.getAsDouble(), last);
                }
                last = f.getAsDouble();
            }
            i++;
        }
        return this;
    }

    /** The last progress reported is 100%. */
    public JobRunAssert<O> reachesFullProgress() {
        isNotNull();
        OptionalDouble last = actual.lastProgress().map(Progress::fraction).orElse(OptionalDouble.empty());
        if (last.isEmpty() || last.getAsDouble() < 1.0) {
            failWithMessage(
                    "expected the last progress to be 100%% but it was %s",
                    actual.lastProgress().orElse(null));
        }
        return this;
    }

    public JobRunAssert<O> loggedLineContaining(String text) {
        isNotNull();
        if (actual.logs().stream().map(LogLine::message).noneMatch(m -> m.contains(text))) {
            failWithMessage(
                    "expected a log line containing <%s> but the log was %s",
                    text, actual.logs().stream().map(LogLine::message).toList());
        }
        return this;
    }

    public JobRunAssert<O> hasCheckpointCount(int count) {
        isNotNull();
        if (actual.checkpoints().size() != count) {
            failWithMessage(
                    "expected %d checkpoints but there were %d",
                    count, actual.checkpoints().size());
        }
        return this;
    }

    public JobRunAssert<O> hasRestarts(int restarts) {
        isNotNull();
        if (actual.restarts() != restarts) {
            failWithMessage("expected %d restarts but there were %d", restarts, actual.restarts());
        }
        return this;
    }

    /** This many failed attempts were retried (each one's backoff skipped by the harness). */
    public JobRunAssert<O> hasRetries(int retries) {
        isNotNull();
        if (actual.retries() != retries) {
            failWithMessage("expected %d retries but there were %d", retries, actual.retries());
        }
        return this;
    }

    /** The job stopped PAUSED this many times (and was resumed by the harness each time). */
    public JobRunAssert<O> hasPauses(int pauses) {
        isNotNull();
        if (actual.pauses() != pauses) {
            failWithMessage("expected %d pauses but there were %d", pauses, actual.pauses());
        }
        return this;
    }

    /** Every checkpoint's state read back to the same state. */
    public JobRunAssert<O> stateRoundTrips() {
        isNotNull();
        if (!actual.roundTripProblems().isEmpty()) {
            failWithMessage("checkpoint state does not round-trip:%n%s", String.join("\n", actual.roundTripProblems()));
        }
        return this;
    }
}
