package dev.jobs.runtime.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A URL that receives a signed JSON document (an HTTP POST) when a job reaches a lifecycle event.
 * Registered with {@link Notifications.Builder#webhook(Webhook)}; see {@code docs/notifications.md}
 * for the document, the headers and how to verify the signature.
 *
 * <pre>{@code
 * Webhook alerts = Webhook.to("https://ops.example.com/jobs")
 *         .events(JobEventType.FAILED, JobEventType.CANCELLED) // default: COMPLETED, FAILED, CANCELLED
 *         .jobs("send_report", "file_copy")                    // default: every job type
 *         .secret(System.getenv("JOBS_WEBHOOK_SECRET"))        // signs each request
 *         .timeout(Duration.ofSeconds(5))
 *         .maxAttempts(6)                                      // 1 s, 2 s, 4 s, 8 s, 16 s apart
 *         .build();
 * }</pre>
 *
 * <p>An attempt that gets no response, or a 408, 429 or 5xx status, is retried after a delay
 * that doubles each time ({@link Builder#backoff}); any other status ends the delivery (a 2xx
 * delivered it, a 4xx refused it). Every attempt is recorded ({@link Delivery}).
 */
public final class Webhook {

    static final Set<JobEventType> DEFAULT_EVENTS =
            EnumSet.of(JobEventType.COMPLETED, JobEventType.FAILED, JobEventType.CANCELLED);

    private final URI url;
    private final Set<JobEventType> events;
    private final Set<String> jobs;
    private final byte[] secret;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxOutputChars;
    private final Consumer<Delivery> onAttempt;

    private Webhook(Builder b) {
        this.url = b.url;
        this.events = Set.copyOf(b.events);
        this.jobs = Set.copyOf(b.jobs);
        this.secret = b.secret;
        this.timeout = b.timeout;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxOutputChars = b.maxOutputChars;
        this.onAttempt = b.onAttempt;
    }

    /**
     * Starts configuring a webhook that posts to {@code url} (http or https).
     *
     * @throws IllegalArgumentException the URL is not an absolute http or https URL
     */
    public static Builder to(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return to(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + url + "' is not a URL; give an absolute http or https URL such as https://example.com/hook",
                    e);
        }
    }

    /** Starts configuring a webhook that posts to {@code url} (http or https). */
    public static Builder to(URI url) {
        return new Builder(url);
    }

    public URI url() {
        return url;
    }

    /** The events it is sent for. */
    public Set<JobEventType> events() {
        return events;
    }

    /** The job names it is sent for; empty: every job type. */
    public Set<String> jobs() {
        return jobs;
    }

    /** Whether requests are signed ({@code X-Jobs-Signature}). */
    public boolean signed() {
        return secret != null;
    }

    public Duration timeout() {
        return timeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether an event of {@code type} of the job called {@code jobName} is sent here. */
    boolean matches(JobEventType type, String jobName) {
        return events.contains(type) && (jobs.isEmpty() || jobs.contains(jobName));
    }

    byte[] secret() {
        return secret;
    }

    /** The wait before attempt {@code next} (2 or more): the initial backoff doubled per retry, capped. */
    Duration backoffBefore(int next) {
        int doublings = Math.min(next - 2, 30);
        long millis = initialBackoff.toMillis();
        long delay = millis << doublings;
        if (delay < millis || delay > maxBackoff.toMillis()) { // overflow or beyond the cap
            return maxBackoff;
        }
        return Duration.ofMillis(delay);
    }

    int maxOutputChars() {
        return maxOutputChars;
    }

    Consumer<Delivery> onAttempt() {
        return onAttempt;
    }

    @Override
    public String toString() {
        return "Webhook[" + url + ", events " + events + (jobs.isEmpty() ? "" : ", jobs " + jobs) + "]";
    }

    /** Options of a {@link Webhook}; only the URL is required. */
    public static final class Builder {
        private final URI url;
        private Set<JobEventType> events = DEFAULT_EVENTS;
        private Set<String> jobs = Set.of();
        private byte[] secret;
        private Duration timeout = Duration.ofSeconds(10);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(5);
        private int maxOutputChars = 16_384;
        private Consumer<Delivery> onAttempt = d -> {};

        private Builder(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (!url.isAbsolute()
                    || url.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("webhook URL '" + url
                        + "' is not an absolute http or https URL; give one such as https://example.com/hook");
            }
            this.url = url;
        }

        /** The events to send (default: COMPLETED, FAILED, CANCELLED). */
        public Builder events(JobEventType... events) {
            if (events.length == 0) {
                throw new IllegalArgumentException("name at least one event; a webhook for no event sends nothing");
            }
            this.events = EnumSet.copyOf(Arrays.asList(events));
            return this;
        }

        /** Sends only the events of jobs with these names (default: every job type). */
        public Builder jobs(String... names) {
            this.jobs = Set.copyOf(List.of(names));
            return this;
        }

        /**
         * The shared secret that signs each request (HMAC-SHA256, header {@code X-Jobs-Signature});
         * without one, requests are not signed. Give the receiver the same secret.
         */
        public Builder secret(String secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("the webhook secret is empty; give a random string of 32 or "
                        + "more characters, or leave secret() out to send unsigned requests");
            }
            this.secret = secret.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** How long one attempt may take, connecting included (default 10 s); then it is retried. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Attempts in all, the first included (default 5); 1 means no retry. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * The wait before the first retry (default 1 s), doubled before each further one up to
         * {@code max} (default 5 minutes).
         */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.toMillis() < 1 || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(
                        "backoff needs 1 ms <= initial <= max, was " + initial + " and " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The longest job output (its JSON, in characters) sent as {@code output} (default 16384);
         * a longer one is sent as {@code outputPreview}, its first this many characters as a
         * string, with {@code outputTruncated: true}.
         */
        public Builder maxOutputChars(int chars) {
            if (chars < 0) {
                throw new IllegalArgumentException("maxOutputChars must not be negative, was " + chars);
            }
            this.maxOutputChars = chars;
            return this;
        }

        /**
         * Called after each attempt is recorded (on the delivery thread; keep it short), for
         * example to count failed deliveries. An exception it throws is logged.
         */
        public Builder onAttempt(Consumer<Delivery> listener) {
            this.onAttempt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Webhook build() {
            return new Webhook(this);
        }
    }
}
