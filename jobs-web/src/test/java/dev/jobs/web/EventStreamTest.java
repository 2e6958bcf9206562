package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamTest extends WebTestSupport {

    /** One server-sent event: its type and data. */
    record Event(String type, JsonNode data) {}

    /** Reads the next event (skipping comment lines), or null at the end of the stream. */
    private static Event next(Iterator<String> lines) throws Exception {
        String type = "message";
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    return new Event(type, MAPPER.readTree(data.toString()));
                }
                type = "message";
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
        return null;
    }

    /** Reads events until one of this type for this job; returns every event read. */
    private static List<Event> until(Iterator<String> lines, String type, UUID job) throws Exception {
        List<Event> seen = new ArrayList<>();
        Event e;
        while ((e = next(lines)) != null) {
            seen.add(e);
            if (e.type().equals(type) && e.data().get("jobId").asText().equals(job.toString())) {
                return seen;
            }
        }
        throw new AssertionError("the stream ended before a '" + type + "' event; read " + seen);
    }

    private static Iterator<String> connected(HttpResponse<Stream<String>> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(contentType(response)).startsWith("text/event-stream");
        Iterator<String> lines = response.body().iterator();
        // the server writes this once its listener is registered
        assertThat(lines.next()).isEqualTo(": connected");
        return lines;
    }

    @Test
    void theEventStreamDeliversProgressLogLinesAndCompletionOfAJobDispatchedThroughTheApi() throws Exception {
        start();
        HttpResponse<Stream<String>> response =
                client.send(request("/api/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = connected(response);
            String key = gateKey();

            UUID id = UUID.fromString(
                    json(post("/api/jobs", "{\"name\":\"web.gate\",\"parameters\":{\"key\":\"" + key + "\"}}"))
                            .get("id")
                            .asText());
            List<Event> untilStarted = until(lines, "started", id);
            assertThat(untilStarted).anyMatch(e -> e.type().equals("queued"));
            GateJob.release(key);
            List<Event> rest = until(lines, "completed", id);

            assertThat(rest).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo("progress");
                assertThat(e.data().get("progress").get("type").asText()).isEqualTo("percentage");
            });
            List<Event> all = new java.util.ArrayList<>(untilStarted);
            all.addAll(rest);
            assertThat(all).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo("log");
                assertThat(e.data().get("message").asText()).isEqualTo("halfway through " + key);
                // the stored line's number, so that a client reading both can tell it has it
                assertThat(e.data().get("logSequence").asLong())
                        .isEqualTo(jobs.logs(id, 0, 10).get(0).sequence());
            });
            Event completed = rest.get(rest.size() - 1);
            assertThat(completed.data().get("output").asText()).isEqualTo(key);
            assertThat(completed.data().get("jobName").asText()).isEqualTo("web.gate");
        }
    }

    @Test
    void aJobsEventStreamStartsWithASnapshotAndEndsAfterItsCompletion() throws Exception {
        start();
        String key = gateKey();
        UUID id = jobs.dispatchByName("web.gate", "{\"key\":\"" + key + "\"}").id();

        HttpResponse<Stream<String>> response =
                client.send(request("/api/jobs/" + id + "/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = connected(response);
            Event snapshot = next(lines);
            assertThat(snapshot.type()).isEqualTo("snapshot");
            assertThat(snapshot.data().get("id").asText()).isEqualTo(id.toString());

            GateJob.release(key);
            List<Event> events = new ArrayList<>();
            Event e;
            while ((e = next(lines)) != null) {
                events.add(e);
            }

            assertThat(events).isNotEmpty();
            assertThat(events)
                    .allSatisfy(
                            ev -> assertThat(ev.data().get("jobId").asText()).isEqualTo(id.toString()));
            assertThat(events.get(events.size() - 1).type()).isEqualTo("completed");
            assertThat(events).anyMatch(ev -> ev.type().equals("progress"));
        }
    }

    @Test
    void theEventStreamOfAFinishedJobIsItsSnapshotAlone() throws Exception {
        start();
        UUID id = jobs.dispatchByName("web.echo", "{\"count\":1}").id();
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);

        HttpResponse<Stream<String>> response =
                client.send(request("/api/jobs/" + id + "/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = connected(response);
            Event snapshot = next(lines);
            assertThat(snapshot.type()).isEqualTo("snapshot");
            assertThat(snapshot.data().get("status").asText()).isEqualTo("COMPLETED");
            assertThat(next(lines)).isNull();
        }
    }

    @Test
    void aJobThatFinishesAsItsStreamOpensStillEndsTheStream() throws Exception {
        start();
        // the snapshot is read after the listener is registered: a completion in between is in
        // the snapshot or among the events, never lost (a lost one left the stream open)
        for (int i = 0; i < 60; i++) {
            UUID id = jobs.dispatchByName("web.echo", "{\"count\":1}").id();
            String body = client.sendAsync(
                            request("/api/jobs/" + id + "/events").build(), HttpResponse.BodyHandlers.ofString())
                    .get(20, TimeUnit.SECONDS)
                    .body();
            assertThat(body).as("stream %d", i).containsAnyOf("event: completed", "\"status\":\"COMPLETED\"");
        }
    }

    @Test
    void theEventStreamOfAnUnknownJobIs404() throws Exception {
        start();
        assertThat(get("/api/jobs/" + UUID.randomUUID() + "/events").statusCode())
                .isEqualTo(404);
    }

    @Test
    void closingTheServerEndsOpenStreams() throws Exception {
        start();
        HttpResponse<Stream<String>> response =
                client.send(request("/api/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = connected(response);
            web.close();
            web = null;
            assertThat(next(lines)).isNull();
        }
    }

    @Test
    void aQuietStreamSendsHeartbeatComments() throws Exception {
        start(JobsWeb.Options.defaults().heartbeatMillis(50));
        HttpResponse<Stream<String>> response =
                client.send(request("/api/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            Iterator<String> lines = connected(response);
            String line = lines.next();
            while (line.isEmpty()) {
                line = lines.next();
            }
            assertThat(line).isEqualTo(": heartbeat");
        }
    }

    @Test
    void aStreamBeyondTheLimitIs503() throws Exception {
        start(JobsWeb.Options.defaults().maxEventStreams(1));
        HttpResponse<Stream<String>> first =
                client.send(request("/api/events").build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = first.body()) {
            connected(first);
            HttpResponse<String> second = get("/api/events");
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(contentType(second)).startsWith("application/problem+json");
        }
    }
}
