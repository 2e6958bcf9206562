package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityTest extends WebTestSupport {

    private static final String DISPATCH = "{\"name\":\"web.echo\",\"parameters\":{\"count\":1}}";

    @Test
    void refusesToBindANonLoopbackAddressWithoutAToken() {
        assertThatThrownBy(() -> JobsWeb.start(
                        jobs, JobsWeb.Options.defaults().bind("0.0.0.0").port(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a token");
    }

    @Test
    void bindsAnyAddressWhenATokenIsGiven() throws Exception {
        start(JobsWeb.Options.defaults().bind("0.0.0.0").token("s3cret"));
        HttpResponse<String> response = send(
                request("/api/jobs").header("Authorization", "Bearer s3cret").build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void listensOnLoopbackByDefault() {
        start();
        assertThat(web.url()).startsWith("http://127.0.0.1:" + web.port() + "/");
    }

    @Test
    void aMissingOrWrongTokenIs401WithWwwAuthenticate() throws Exception {
        start(JobsWeb.Options.defaults().token("s3cret"));

        HttpResponse<String> missing = get("/api/jobs");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(contentType(missing)).startsWith("application/problem+json");
        HttpResponse<String> wrong = send(
                request("/api/jobs").header("Authorization", "Bearer guess").build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(post("/api/jobs", DISPATCH).statusCode()).isEqualTo(401);
        assertThat(get("/api/openapi.json").statusCode()).isEqualTo(401);

        HttpResponse<String> right = send(
                request("/api/jobs").header("Authorization", "Bearer s3cret").build());
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void readOnlyModeAnswersEveryPostWith403AndStillServesReads() throws Exception {
        start(JobsWeb.Options.defaults().readOnly(true));
        java.util.UUID id = jobs.dispatchByName("web.echo", "{\"count\":1}").id();
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);

        assertThat(post("/api/jobs", DISPATCH).statusCode()).isEqualTo(403);
        for (String action : new String[] {"pause", "resume", "cancel", "rerun"}) {
            HttpResponse<String> response = post("/api/jobs/" + id + "/" + action, "");
            assertThat(response.statusCode()).as(action).isEqualTo(403);
            assertThat(json(response).get("title").asText()).isEqualTo("Read-only");
        }
        assertThat(get("/api/jobs/" + id).statusCode()).isEqualTo(200);
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).hasSize(1);
    }

    @Test
    void aPostWithoutTheRequestHeaderIs403() throws Exception {
        start();
        HttpResponse<String> response = send(request("/api/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DISPATCH))
                .build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("detail").asText()).contains("X-Jobs-Request");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    /** A raw request, to send a Host header of our choosing (as a rebound DNS name makes a browser do). */
    private String raw(String method, String path, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", web.port())) {
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            String body = method.equals("POST") ? DISPATCH : "";
            req.append("Content-Length: ")
                    .append(body.length())
                    .append("\r\nConnection: close\r\n\r\n")
                    .append(body);
            socket.getOutputStream().write(req.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String response =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return response.substring(0, response.indexOf("\r\n"));
        }
    }

    @Test
    void withoutATokenARequestNamingAnotherHostIsRefused() throws Exception {
        start();
        String evil = "Host: evil.example:" + web.port();
        assertThat(raw("GET", "/api/jobs", evil)).contains(" 403 ");
        assertThat(raw("POST", "/api/jobs", evil, "Origin: http://evil.example:" + web.port(), "X-Jobs-Request: 1"))
                .contains(" 403 ");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
        assertThat(raw("GET", "/api/jobs", "Host: localhost:" + web.port())).contains(" 200 ");
        assertThat(raw("GET", "/api/jobs", "Host: 127.0.0.1:" + web.port())).contains(" 200 ");
        assertThat(raw("GET", "/api/jobs", "Host: [::1]:" + web.port())).contains(" 200 ");
    }

    @Test
    void anAllowedHostOrATokenLetsAnotherNameIn() throws Exception {
        start(JobsWeb.Options.defaults().allowedHosts("jobs.example.com"));
        assertThat(raw("GET", "/api/jobs", "Host: jobs.example.com")).contains(" 200 ");
        assertThat(raw("GET", "/api/jobs", "Host: other.example.com")).contains(" 403 ");
        start(JobsWeb.Options.defaults().token("s3cret"));
        assertThat(raw("GET", "/api/jobs", "Host: other.example.com", "Authorization: Bearer s3cret"))
                .contains(" 200 ");
    }

    @Test
    void aPostThroughAProxyThatRewritesHostIsAcceptedByItsForwardedHost() throws Exception {
        start(JobsWeb.Options.defaults());
        String status = raw(
                "POST",
                "/api/jobs",
                "Host: 127.0.0.1:" + web.port(),
                "Origin: https://jobs.example.com",
                "X-Forwarded-Host: jobs.example.com",
                "X-Jobs-Request: 1",
                "Content-Type: application/json");
        assertThat(status).contains(" 201 ");
        assertThat(raw(
                        "POST",
                        "/api/jobs",
                        "Host: 127.0.0.1:" + web.port(),
                        "Origin: https://evil.example",
                        "X-Forwarded-Host: jobs.example.com",
                        "X-Jobs-Request: 1"))
                .contains(" 403 ");
    }

    @Test
    void aPostFromAnotherOriginIs403() throws Exception {
        start();
        HttpResponse<String> response = send(request("/api/jobs")
                .header("X-Jobs-Request", "1")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(DISPATCH))
                .build());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void aPostFromTheServersOwnOriginIsAccepted() throws Exception {
        start();
        HttpResponse<String> response = send(request("/api/jobs")
                .header("X-Jobs-Request", "1")
                .header("Origin", "http://127.0.0.1:" + web.port())
                .POST(HttpRequest.BodyPublishers.ofString(DISPATCH))
                .build());
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        start(JobsWeb.Options.defaults().maxBodyBytes(1024));
        String big = "{\"name\":\"web.echo\",\"parameters\":{\"count\":1,\"label\":\"" + "a".repeat(4096) + "\"}}";

        HttpResponse<String> response = post("/api/jobs", big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(contentType(response)).startsWith("application/problem+json");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void aBodyOverTheDefaultMebibyteIs413() throws Exception {
        start();
        String big = "{\"name\":\"web.echo\",\"parameters\":{\"count\":1,\"label\":\"" + "a".repeat(3 << 20) + "\"}}";

        HttpResponse<String> response = post("/api/jobs", big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void anOversizedBodyWithoutContentLengthIs413() throws Exception {
        start(JobsWeb.Options.defaults().maxBodyBytes(1024));
        byte[] big = ("{\"name\":\"web.echo\",\"parameters\":{\"count\":1,\"label\":\"" + "a".repeat(4096) + "\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request("/api/jobs")
                .header("X-Jobs-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aClosedManagerIs503WithoutInternals() throws Exception {
        start();
        jobs.close();
        HttpResponse<String> response = get("/api/jobs");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain(dir.toString());
    }
}
