package dev.jobs;

/**
 * The order in which queued jobs get a worker: a higher priority first, then the oldest.
 *
 * <pre>{@code
 * jobs.dispatch(new ReindexJob(), JobPriority.HIGH);
 * }</pre>
 */
public enum JobPriority {
    LOW(-10),
    NORMAL(0),
    HIGH(10),
    CRITICAL(20);

    private final int value;

    JobPriority(int value) {
        this.value = value;
    }

    /** The number stored in the {@code priority} column; larger runs first. */
    public int value() {
        return value;
    }

    /** The priority stored as {@code value}, or the nearest lower one. */
    public static JobPriority ofValue(int value) {
        JobPriority result = LOW;
        for (JobPriority p : values()) {
            if (p.value <= value) {
                result = p;
            }
        }
        return result;
    }
}
