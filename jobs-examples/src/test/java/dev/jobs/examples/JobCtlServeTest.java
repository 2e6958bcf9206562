package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobctl serve}: the HTTP API on a database, in a real child process. */
class JobCtlServeTest {

    @TempDir
    Path dir;

    @Test
    void serveAnswersTheApiAndRunsAJobDispatchedThroughIt() throws Exception {
        Process serve = Cli.startWithHome(dir, dir, dir.resolve("jobs.db"), "serve", "--port", "0");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the first line").startsWith("serving ");
            Matcher m = Pattern.compile("(http://\\S+/)api/jobs").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            String base = m.group(1);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> dashboard =
                    http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dashboard.statusCode()).isEqualTo(200);
            assertThat(dashboard.body()).contains("ui/app.js");

            HttpResponse<String> types = http.send(
                    HttpRequest.newBuilder(URI.create(base + "api/job-types")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(types.statusCode()).isEqualTo(200);
            assertThat(types.body()).contains("\"checksum\"", "\"process\"");

            HttpResponse<String> dispatched = http.send(
                    HttpRequest.newBuilder(URI.create(base + "api/jobs"))
                            .header("Content-Type", "application/json")
                            .header("X-Jobs-Request", "1")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"name\":\"process\",\"parameters\":{\"command\":[\"echo\",\"served\"]}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(dispatched.statusCode()).as(dispatched.body()).isEqualTo(201);
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(dispatched.body());
            assertThat(id.find()).isTrue();

            Cli.Result log = Cli.run(dir.resolve("jobs.db"), "log", id.group(1), "--follow");
            assertThat(log.out()).contains("served");
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
    }

    @Test
    void serveOnAPublicAddressWithoutATokenIsRefused() {
        Cli.Result r = Cli.run(dir.resolve("jobs.db"), "serve", "--port", "0", "--bind", "0.0.0.0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("token");
    }
}
