package dev.jobs.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.FailingJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTest {

    private static final String SECRET = "a shared secret for the test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JobManager open(Notifications notifications) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .notifications(notifications)
                .build();
    }

    /** A fast-retrying webhook to {@code url} whose recorded attempts are put in {@code attempts}. */
    private static Webhook.Builder webhook(String url, BlockingQueue<Delivery> attempts) {
        return Webhook.to(url)
                .secret(SECRET)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .onAttempt(attempts::add);
    }

    private static Delivery take(BlockingQueue<Delivery> attempts) throws InterruptedException {
        Delivery d = attempts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
            throw new AssertionError("no delivery attempt recorded within " + WAIT);
        }
        return d;
    }

    /** The HMAC a receiver computes: over "timestamp." and the body's exact bytes. */
    private static String hmac(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aFailedDeliveryIsRetriedAndBothAttemptsAreRecordedAndSigned() throws Exception {
        BlockingQueue<Delivery> attempts = new LinkedBlockingQueue<>();
        try (Receiver receiver = Receiver.start(500);
                JobManager jobs = open(Notifications.builder()
                        .webhook(webhook(receiver.url("/hook"), attempts).build())
                        .build())) {
            JobHandle<Integer> h = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            assertThat(h.result().get(30, TimeUnit.SECONDS)).isEqualTo(1);

            Delivery first = take(attempts);
            Delivery second = take(attempts);
            assertThat(first.attempt()).isEqualTo(1);
            assertThat(first.delivered()).isFalse();
            assertThat(first.httpStatus()).hasValue(500);
            assertThat(first.error()).hasValue("HTTP 500");
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.delivered()).isTrue();
            assertThat(second.httpStatus()).hasValue(200);
            assertThat(second.error()).isEmpty();
            assertThat(second.deliveryId()).isEqualTo(first.deliveryId());

            List<Delivery> recorded = jobs.deliveries(h.id());
            assertThat(recorded).hasSize(2);
            assertThat(recorded)
                    .extracting(
                            Delivery::attempt,
                            Delivery::delivered,
                            d -> d.httpStatus().getAsInt())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, false, 500),
                            org.assertj.core.groups.Tuple.tuple(2, true, 200));
            assertThat(recorded).allSatisfy(d -> {
                assertThat(d.jobId()).isEqualTo(h.id());
                assertThat(d.url()).isEqualTo(URI.create(receiver.url("/hook")));
                assertThat(d.event()).isEqualTo(JobEventType.COMPLETED);
                assertThat(d.deliveryId()).isEqualTo(first.deliveryId());
            });

            List<Receiver.Request> requests = receiver.requests();
            assertThat(requests).hasSize(2);
            for (Receiver.Request r : requests) {
                String timestamp = r.header("X-Jobs-Timestamp");
                assertThat(Long.parseLong(timestamp))
                        .isBetween(
                                Instant.now().getEpochSecond() - 300,
                                Instant.now().getEpochSecond() + 1);
                assertThat(r.header("X-Jobs-Signature")).isEqualTo(hmac(timestamp, r.body()));
                assertThat(WebhookSignature.verify(SECRET, timestamp, r.body(), r.header("X-Jobs-Signature")))
                        .isTrue();
                assertThat(WebhookSignature.verify("another secret", timestamp, r.body(), r.header("X-Jobs-Signature")))
                        .isFalse();
                assertThat(r.header("X-Jobs-Delivery")).isEqualTo(first.deliveryId());
                assertThat(r.header("X-Jobs-Event")).isEqualTo("COMPLETED");
                assertThat(r.header("Content-Type")).startsWith("application/json");
            }
            assertThat(requests.get(0).header("X-Jobs-Attempt")).isEqualTo("1");
            assertThat(requests.get(1).header("X-Jobs-Attempt")).isEqualTo("2");
            assertThat(requests.get(1).bodyText())
                    .as("a retry sends the same document")
                    .isEqualTo(requests.get(0).bodyText());

            JobInfo info = jobs.info(h.id());
            JsonNode doc = JSON.readTree(requests.get(1).body());
            assertThat(doc.get("deliveryId").asText()).isEqualTo(first.deliveryId());
            assertThat(doc.get("event").asText()).isEqualTo("COMPLETED");
            assertThat(doc.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(doc.get("jobId").asText()).isEqualTo(h.id().toString());
            assertThat(doc.get("jobName").asText()).isEqualTo("test.count");
            assertThat(doc.get("createdAt").asText()).isEqualTo(info.createdAt().toString());
            assertThat(doc.get("startedAt").asText())
                    .isEqualTo(info.startedAt().orElseThrow().toString());
            assertThat(doc.get("completedAt").asText())
                    .isEqualTo(info.completedAt().orElseThrow().toString());
            assertThat(Instant.parse(doc.get("eventAt").asText())).isNotNull();
            assertThat(doc.get("attempt").asInt()).isEqualTo(1);
            assertThat(doc.get("error").isNull()).isTrue();
            assertThat(doc.get("output").isInt()).isTrue();
            assertThat(doc.get("output").asInt()).isEqualTo(1);
            assertThat(doc.get("outputTruncated").asBoolean()).isFalse();
        }
    }

    @Test
    void aFilterThatExcludesAnEventTypeOrAJobNameSendsNothingForIt() throws Exception {
        BlockingQueue<Delivery> failedOnly = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> failingJobOnly = new LinkedBlockingQueue<>();
        BlockingQueue<Delivery> everything = new LinkedBlockingQueue<>();
        UUID counted;
        UUID failed;
        try (Receiver receiver = Receiver.start()) {
            try (JobManager jobs = open(Notifications.builder()
                    .webhook(webhook(receiver.url("/failed-only"), failedOnly)
                            .events(JobEventType.FAILED)
                            .build())
                    .webhook(webhook(receiver.url("/failing-job-only"), failingJobOnly)
                            .jobs("test.failing")
                            .build())
                    .webhook(webhook(receiver.url("/everything"), everything).build())
                    .build())) {
                JobHandle<Integer> count = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
                counted = count.id();
                count.result().get(30, TimeUnit.SECONDS);
                assertThat(take(everything).jobId()).isEqualTo(counted);

                // events are handed to the webhooks in order: a delivery of the first job, had a
                // filter let it through, would have been started before those of the second
                JobHandle<Void> failing = jobs.dispatch(new FailingJob());
                failed = failing.id();
                assertThat(take(failedOnly).jobId()).isEqualTo(failed);
                assertThat(take(failingJobOnly).jobId()).isEqualTo(failed);
                assertThat(take(everything).jobId()).isEqualTo(failed);
            }
            try (JobManager reader = JobManager.builder()
                    .database(dir.resolve("jobs.db"))
                    .client()
                    .build()) {
                assertThat(reader.deliveries(counted))
                        .extracting(d -> d.url().getPath())
                        .containsExactly("/everything");
                assertThat(reader.deliveries(failed))
                        .extracting(d -> d.url().getPath())
                        .containsExactlyInAnyOrder("/failed-only", "/failing-job-only", "/everything");
                assertThat(reader.deliveries(failed)).allSatisfy(d -> {
                    assertThat(d.event()).isEqualTo(JobEventType.FAILED);
                    assertThat(d.delivered()).isTrue();
                });
            }
            assertThat(receiver.requests())
                    .filteredOn(r -> !r.path().equals("/everything"))
                    .allSatisfy(r -> assertThat(r.bodyText()).contains(failed.toString()))
                    .hasSize(2);
            JsonNode doc = JSON.readTree(receiver.requests().stream()
                    .filter(r -> r.path().equals("/failed-only"))
                    .findFirst()
                    .orElseThrow()
                    .body());
            assertThat(doc.get("event").asText()).isEqualTo("FAILED");
            assertThat(doc.get("error").asText())
                    .contains("IllegalStateException")
                    .contains("boom");
            assertThat(doc.get("output").isNull()).isTrue();
        }
    }

    @Test
    void aRefusedDeliveryIsNotRetried() throws Exception {
        BlockingQueue<Delivery> attempts = new LinkedBlockingQueue<>();
        try (Receiver receiver = Receiver.start(400);
                JobManager jobs = open(Notifications.builder()
                        .webhook(webhook(receiver.url("/hook"), attempts).build())
                        .build())) {
            JobHandle<Integer> h = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            h.result().get(30, TimeUnit.SECONDS);
            Delivery d = take(attempts);
            assertThat(d.httpStatus()).hasValue(400);
            assertThat(d.delivered()).isFalse();
            // a second job's delivery is recorded after the first's final attempt (same delivery thread)
            JobHandle<Integer> h2 = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            h2.result().get(30, TimeUnit.SECONDS);
            assertThat(take(attempts).jobId()).isEqualTo(h2.id());
            assertThat(jobs.deliveries(h.id())).hasSize(1);
        }
    }

    @Test
    void anUnreachableReceiverIsRetriedUpToMaxAttempts() throws Exception {
        BlockingQueue<Delivery> attempts = new LinkedBlockingQueue<>();
        String url;
        try (Receiver closed = Receiver.start()) {
            url = closed.url("/gone"); // a port nobody listens on once it is closed
        }
        try (JobManager jobs = open(Notifications.builder()
                .webhook(webhook(url, attempts).maxAttempts(3).build())
                .build())) {
            JobHandle<Integer> h = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            h.result().get(30, TimeUnit.SECONDS);
            for (int i = 1; i <= 3; i++) {
                Delivery d = take(attempts);
                assertThat(d.attempt()).isEqualTo(i);
                assertThat(d.delivered()).isFalse();
                assertThat(d.httpStatus()).isEmpty();
                assertThat(d.error()).isPresent();
            }
            assertThat(jobs.deliveries(h.id())).extracting(Delivery::attempt).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aLargeOutputIsSentTruncatedAsAPreview() throws Exception {
        BlockingQueue<Delivery> attempts = new LinkedBlockingQueue<>();
        String key = "notify-large-" + UUID.randomUUID() + "-" + "x".repeat(200);
        Gates.open(key + ".release");
        try (Receiver receiver = Receiver.start();
                JobManager jobs = open(Notifications.builder()
                        .webhook(webhook(receiver.url("/hook"), attempts)
                                .maxOutputChars(20)
                                .build())
                        .build())) {
            JobHandle<String> h = jobs.dispatch(new GateJob(key));
            assertThat(h.result().get(30, TimeUnit.SECONDS)).isEqualTo(key);
            take(attempts);
            JsonNode doc = JSON.readTree(receiver.next(WAIT).body());
            assertThat(doc.get("output").isNull()).isTrue();
            assertThat(doc.get("outputTruncated").asBoolean()).isTrue();
            assertThat(doc.get("outputPreview").asText()).isEqualTo(("\"" + key).substring(0, 20));
        }
    }

    @Test
    void deliveryRecordsAreDeletedWithTheirJob() throws Exception {
        BlockingQueue<Delivery> attempts = new LinkedBlockingQueue<>();
        try (Receiver receiver = Receiver.start();
                JobManager jobs = open(Notifications.builder()
                        .webhook(webhook(receiver.url("/hook"), attempts).build())
                        .build())) {
            JobHandle<Integer> h = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            h.result().get(30, TimeUnit.SECONDS);
            take(attempts);
            assertThat(jobs.deliveries(h.id())).hasSize(1);
            assertThat(jobs.clean(Duration.ZERO).jobs()).isEqualTo(1);
            assertThat(jobs.deliveries(h.id())).isEmpty();
        }
    }

    @Test
    void aWebhookNeedsAnHttpUrl() {
        assertThatThrownBy(() -> Webhook.to("ftp://example.com/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> Webhook.to("not a url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute http or https URL");
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        Webhook w = Webhook.to("http://127.0.0.1/x")
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .build();
        assertThat(w.backoffBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.backoffBefore(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(w.backoffBefore(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(w.backoffBefore(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(w.backoffBefore(100)).isEqualTo(Duration.ofSeconds(5));
    }
}
