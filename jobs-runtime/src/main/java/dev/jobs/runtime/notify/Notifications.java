package dev.jobs.runtime.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lifecycle hooks and webhooks of a manager, given to {@code JobManagerBuilder.notifications}.
 *
 * <pre>{@code
 * JobManager jobs = JobManager.builder()
 *         .database(Path.of("jobs.db"))
 *         .notifications(Notifications.builder()
 *                 .onFailure(e -> alerts.send("job failed: " + e.jobName()))       // every job type
 *                 .onComplete("send_report", e -> metrics.increment("reports"))   // one job type, by name
 *                 .onCancel(FileCopyJob.class, e -> cleanUp(e.jobId()))           // one job type, by class
 *                 .webhook(Webhook.to("https://ops.example.com/jobs").secret(secret).build())
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p><b>Once per event.</b> An event runs its hooks and webhooks in the process that recorded it
 * (the one that ran the job to its end, or that cancelled a job that was not running), never in
 * the others on the same database: with several processes, each event is notified once. Hooks
 * of a process that dies before running them are not run again by another (see
 * {@code docs/notifications.md} for what is and is not durable).
 *
 * <p><b>Never in the job's way.</b> Hooks and deliveries run on threads of their own after the
 * job's new status is committed. Their queue is bounded ({@link Builder#queueCapacity}): when it
 * is full, new ones are dropped with a warning rather than slowing the job. An exception a hook
 * throws is logged. {@code JobManager.close()} waits briefly for queued hooks.
 */
public final class Notifications {

    /** A hook and the events and job type (or every type) it runs for. */
    record Hook(JobEventType type, String jobName, Class<?> jobClass, JobHook hook) {}

    private final List<Hook> hooks;
    private final List<Webhook> webhooks;
    private final int hookThreads;
    private final int queueCapacity;

    private Notifications(Builder b) {
        this.hooks = List.copyOf(b.hooks);
        this.webhooks = List.copyOf(b.webhooks);
        this.hookThreads = b.hookThreads;
        this.queueCapacity = b.queueCapacity;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No hooks and no webhooks. */
    public static Notifications none() {
        return builder().build();
    }

    public List<Webhook> webhooks() {
        return webhooks;
    }

    /** Whether there is no hook and no webhook (a manager then does not listen for events). */
    public boolean isEmpty() {
        return hooks.isEmpty() && webhooks.isEmpty();
    }

    List<Hook> hooks() {
        return hooks;
    }

    int hookThreads() {
        return hookThreads;
    }

    int queueCapacity() {
        return queueCapacity;
    }

    /** Hooks and webhooks; every method adds to what is there. */
    public static final class Builder {
        private final List<Hook> hooks = new ArrayList<>();
        private final List<Webhook> webhooks = new ArrayList<>();
        private int hookThreads = 1;
        private int queueCapacity = 10_000;

        private Builder() {}

        /** Runs {@code hook} when a job of any type completes. */
        public Builder onComplete(JobHook hook) {
            return on(JobEventType.COMPLETED, hook);
        }

        /** Runs {@code hook} when a job called {@code jobName} completes. */
        public Builder onComplete(String jobName, JobHook hook) {
            return on(JobEventType.COMPLETED, jobName, hook);
        }

        /** Runs {@code hook} when a job of class {@code jobClass} (a registered job type) completes. */
        public Builder onComplete(Class<?> jobClass, JobHook hook) {
            return on(JobEventType.COMPLETED, jobClass, hook);
        }

        /** Runs {@code hook} when a job of any type fails for good (no retry left). */
        public Builder onFailure(JobHook hook) {
            return on(JobEventType.FAILED, hook);
        }

        public Builder onFailure(String jobName, JobHook hook) {
            return on(JobEventType.FAILED, jobName, hook);
        }

        public Builder onFailure(Class<?> jobClass, JobHook hook) {
            return on(JobEventType.FAILED, jobClass, hook);
        }

        /** Runs {@code hook} when a job of any type is cancelled. */
        public Builder onCancel(JobHook hook) {
            return on(JobEventType.CANCELLED, hook);
        }

        public Builder onCancel(String jobName, JobHook hook) {
            return on(JobEventType.CANCELLED, jobName, hook);
        }

        public Builder onCancel(Class<?> jobClass, JobHook hook) {
            return on(JobEventType.CANCELLED, jobClass, hook);
        }

        /** Runs {@code hook} when an attempt of a job of any type failed and a retry is scheduled. */
        public Builder onRetryScheduled(JobHook hook) {
            return on(JobEventType.RETRY_SCHEDULED, hook);
        }

        /** Runs {@code hook} when a job of any type stops at a pause. */
        public Builder onPaused(JobHook hook) {
            return on(JobEventType.PAUSED, hook);
        }

        /** Runs {@code hook} on events of {@code type} of every job type. */
        public Builder on(JobEventType type, JobHook hook) {
            hooks.add(new Hook(Objects.requireNonNull(type, "type"), null, null, Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /** Runs {@code hook} on events of {@code type} of the jobs called {@code jobName}. */
        public Builder on(JobEventType type, String jobName, JobHook hook) {
            hooks.add(new Hook(
                    Objects.requireNonNull(type, "type"),
                    Objects.requireNonNull(jobName, "jobName"),
                    null,
                    Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /**
         * Runs {@code hook} on events of {@code type} of the jobs of class {@code jobClass}; the
         * class must be a job type registered with the manager (its name is looked up when the
         * manager is built).
         */
        public Builder on(JobEventType type, Class<?> jobClass, JobHook hook) {
            hooks.add(new Hook(
                    Objects.requireNonNull(type, "type"),
                    null,
                    Objects.requireNonNull(jobClass, "jobClass"),
                    Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /** Posts events to {@code webhook} (as its filter selects them). */
        public Builder webhook(Webhook webhook) {
            webhooks.add(Objects.requireNonNull(webhook, "webhook"));
            return this;
        }

        /**
         * How many threads run hooks (default 1: hooks run one at a time, in event order). More
         * threads let a slow hook not hold up the others, in no particular order.
         */
        public Builder hookThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("hookThreads must be at least 1, was " + threads);
            }
            this.hookThreads = threads;
            return this;
        }

        /**
         * How many hook runs may wait for a thread, and how many webhook deliveries may be under
         * way, before new ones are dropped with a warning (default 10,000 each).
         */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        public Notifications build() {
            return new Notifications(this);
        }
    }
}
