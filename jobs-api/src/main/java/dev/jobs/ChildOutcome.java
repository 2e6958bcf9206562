package dev.jobs;

import java.util.Optional;
import java.util.UUID;

/**
 * How a child job ended, as {@link JobContext#awaitChildren()} gives it to its parent.
 *
 * <pre>{@code
 * long failed = ctx.awaitChildren().stream().filter(c -> c.status() != JobStatus.COMPLETED).count();
 * long bytes = ctx.awaitChildren().stream()
 *         .flatMap(c -> c.output(PartOutput.class).stream())
 *         .mapToLong(PartOutput::bytes).sum();
 * }</pre>
 *
 * @param id the child's id
 * @param name its job type's name
 * @param status COMPLETED, FAILED or CANCELLED
 * @param error why it failed or was cancelled, or null
 * @param output its output, read as its job type's output type, or null (not completed, or no output)
 */
public record ChildOutcome(UUID id, String name, JobStatus status, String error, Object output) {

    /** Whether the child completed. */
    public boolean completed() {
        return status == JobStatus.COMPLETED;
    }

    /**
     * The output as {@code type}: empty when there is none or it is of another type.
     */
    public <T> Optional<T> output(Class<T> type) {
        return type.isInstance(output) ? Optional.of(type.cast(output)) : Optional.empty();
    }
}
