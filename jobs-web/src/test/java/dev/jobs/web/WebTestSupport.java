package dev.jobs.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.runtime.JobManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real manager on a SQLite file, the web server over it, and an HTTP client. */
abstract class WebTestSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    JobManager jobs;
    JobsWeb web;
    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> gateKeys = new ArrayList<>();

    @BeforeEach
    void openManager() {
        jobs = JobManager.builder().database(dir.resolve("jobs.db")).workers(4).build();
    }

    @AfterEach
    void closeAll() {
        gateKeys.forEach(GateJob::release);
        if (web != null) {
            web.close();
        }
        jobs.close();
    }

    JobsWeb start(JobsWeb.Options options) {
        if (web != null) {
            web.close();
        }
        web = JobsWeb.start(jobs, options.port(0));
        return web;
    }

    JobsWeb start() {
        return start(JobsWeb.Options.defaults());
    }

    /** A fresh key for a {@link GateJob}, released after the test. */
    String gateKey() {
        String key = "gate-" + UUID.randomUUID();
        gateKeys.add(key);
        return key;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(web.url()).resolve(path));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .header("X-Jobs-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return MAPPER.readTree(response.body());
    }

    static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }
}
