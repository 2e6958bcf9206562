package dev.jobs.runtime.store;

import dev.jobs.JobInterruptedException.Reason;
import dev.jobs.JobStatus;

/**
 * A request made of a running job, stored in its row until the run honours it. One vocabulary
 * for the three places that speak of it: the stored value ({@link #name()}), the status the job
 * ends in ({@link #target()}) and the reason its run is interrupted with ({@link #reason()}).
 */
public enum Control {
    /** Stop at the next interrupt point with state saved, as PAUSED. */
    PAUSE(JobStatus.PAUSED, Reason.PAUSED),
    /** Stop at the next interrupt point, as CANCELLED. Once asked, never replaced by a pause. */
    CANCEL(JobStatus.CANCELLED, Reason.CANCELLED);

    private final JobStatus target;
    private final Reason reason;

    Control(JobStatus target, Reason reason) {
        this.target = target;
        this.reason = reason;
    }

    /** The status the job ends in once its run honours the request. */
    public JobStatus target() {
        return target;
    }

    /** The reason the run is interrupted with. */
    public Reason reason() {
        return reason;
    }

    /** The control that interrupts a run with {@code reason}, or null for a reason no caller asks for. */
    public static Control of(Reason reason) {
        return switch (reason) {
            case PAUSED -> PAUSE;
            case CANCELLED -> CANCEL;
            default -> null;
        };
    }

    /** The control stored as {@code value} (null for none or a value this version does not know). */
    public static Control ofStored(String value) {
        if (value == null) {
            return null;
        }
        for (Control c : values()) {
            if (c.name().equals(value)) {
                return c;
            }
        }
        return null;
    }
}
