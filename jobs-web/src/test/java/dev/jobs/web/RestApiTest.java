package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobs.JobStatus;
import dev.jobs.runtime.DispatchOptions;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestApiTest extends WebTestSupport {

    private UUID dispatchEcho(int count, String label) throws Exception {
        UUID id = jobs.dispatchByName("web.echo", "{\"count\":" + count + ",\"label\":\"" + label + "\"}")
                .id();
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);
        return id;
    }

    /** A gate job waiting an hour before it may run: QUEUED, and it stays so. */
    private UUID delayedGate() {
        return jobs.dispatchByName(
                        "web.gate",
                        "{\"key\":\"" + gateKey() + "\"}",
                        DispatchOptions.defaults().delay(Duration.ofHours(1)))
                .id();
    }

    @Test
    void dispatchByPostReturns201WithTheStoredJobAndItsLocation() throws Exception {
        start();
        HttpResponse<String> response = post("/api/jobs", "{\"name\":\"web.echo\",\"parameters\":{\"count\":3}}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(contentType(response)).startsWith("application/json");
        JsonNode job = json(response);
        UUID id = UUID.fromString(job.get("id").asText());
        assertThat(response.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        assertThat(job.get("name").asText()).isEqualTo("web.echo");
        assertThat(job.get("parameters").get("count").asInt()).isEqualTo(3);
        assertThat(jobs.handle(id).result().get(30, TimeUnit.SECONDS)).isEqualTo("xxx");
    }

    @Test
    void jobDetailShowsParametersOutputProgressAndTimes() throws Exception {
        start();
        UUID id = dispatchEcho(2, "ab");

        HttpResponse<String> response = get("/api/jobs/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode job = json(response);
        assertThat(job.get("id").asText()).isEqualTo(id.toString());
        assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.get("parameters").get("label").asText()).isEqualTo("ab");
        assertThat(job.get("output").asText()).isEqualTo("abab");
        assertThat(job.get("completedAt").isTextual()).isTrue();
        assertThat(job.get("failures").isArray()).isTrue();
        assertThat(job.get("children").isArray()).isTrue();
        assertThat(job.has("parent")).isTrue();
        assertThat(job.has("chain")).isTrue();
        assertThat(job.has("errorTrace")).isFalse();
    }

    @Test
    void listFiltersByStatusAndNameAndPagesWithTheNextCursor() throws Exception {
        start();
        Set<String> echoes = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            echoes.add(dispatchEcho(1, "p" + i).toString());
        }
        UUID queued = delayedGate();

        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            HttpResponse<String> response =
                    get("/api/jobs?status=COMPLETED&name=web.echo&limit=2" + (next == null ? "" : "&after=" + next));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = json(response);
            page.get("jobs").forEach(j -> seen.add(j.get("id").asText()));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null && pages < 10);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(echoes);
        JsonNode queuedOnly = json(get("/api/jobs?status=queued"));
        assertThat(queuedOnly.get("jobs")).hasSize(1);
        assertThat(queuedOnly.get("jobs").get(0).get("id").asText()).isEqualTo(queued.toString());
    }

    @Test
    void listFiltersByTextInNameParametersOrIdPrefix() throws Exception {
        start();
        UUID photos = dispatchEcho(1, "Holiday-Photos");
        UUID other = dispatchEcho(1, "invoices");
        assertThat(ids(get("/api/jobs?q=photos"))).containsExactly(photos.toString());
        assertThat(ids(get("/api/jobs?q=" + other.toString().substring(0, 24)))).containsExactly(other.toString());
        assertThat(ids(get("/api/jobs?q=web.echo"))).containsExactlyInAnyOrder(photos.toString(), other.toString());
        assertThat(ids(get("/api/jobs?q=%25")))
                .as("a percent sign is text, not a wildcard")
                .isEmpty();
    }

    @Test
    void listSortsNewestOrOldestFirstAndRefusesAnyOtherOrder() throws Exception {
        start();
        UUID first = dispatchEcho(1, "a");
        UUID second = dispatchEcho(1, "b");
        assertThat(ids(get("/api/jobs"))).containsExactly(second.toString(), first.toString());
        assertThat(ids(get("/api/jobs?sort=oldest"))).containsExactly(first.toString(), second.toString());
        HttpResponse<String> bad = get("/api/jobs?sort=name");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("detail").asText()).contains("'newest' or 'oldest'");
    }

    private static List<String> ids(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    @Test
    void listRefusesAnUnknownStatusOrABadLimitWith400() throws Exception {
        start();
        assertThat(get("/api/jobs?status=DONE").statusCode()).isEqualTo(400);
        assertThat(get("/api/jobs?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/api/jobs?limit=abc").statusCode()).isEqualTo(400);
        assertThat(get("/api/jobs?after=not-a-cursor").statusCode()).isEqualTo(400);
    }

    @Test
    void logsArePagedBySequenceNumber() throws Exception {
        start();
        UUID id = dispatchEcho(1, "logged");

        JsonNode first = json(get("/api/jobs/" + id + "/logs?limit=1"));
        assertThat(first.get("lines")).hasSize(1);
        assertThat(first.get("lines").get(0).get("message").asText()).isEqualTo("label logged");
        long next = first.get("next").asLong();
        JsonNode rest = json(get("/api/jobs/" + id + "/logs?after=" + next));
        assertThat(rest.get("lines")).isEmpty();
        assertThat(rest.get("next").asLong()).isEqualTo(next);
    }

    @Test
    void pauseResumeCancelAndRerunChangeTheJobAndAnswerWithIt() throws Exception {
        start();
        UUID id = delayedGate();

        HttpResponse<String> paused = post("/api/jobs/" + id + "/pause", "");
        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(json(paused).get("status").asText()).isEqualTo("PAUSED");
        assertThat(json(post("/api/jobs/" + id + "/resume", "")).get("status").asText())
                .isEqualTo("QUEUED");
        assertThat(json(post("/api/jobs/" + id + "/cancel", "")).get("status").asText())
                .isEqualTo("CANCELLED");

        HttpResponse<String> rerun = post("/api/jobs/" + id + "/rerun", "");
        assertThat(rerun.statusCode()).isEqualTo(201);
        UUID again = UUID.fromString(json(rerun).get("id").asText());
        assertThat(again).isNotEqualTo(id);
        assertThat(jobs.info(again).rerunOf()).hasValue(id);
    }

    @Test
    void anActionTheJobsStateForbidsIs409() throws Exception {
        start();
        UUID queued = delayedGate();
        HttpResponse<String> rerunQueued = post("/api/jobs/" + queued + "/rerun", "");
        assertThat(rerunQueued.statusCode()).isEqualTo(409);
        assertThat(contentType(rerunQueued)).startsWith("application/problem+json");

        UUID done = dispatchEcho(1, "done");
        assertThat(post("/api/jobs/" + done + "/cancel", "").statusCode()).isEqualTo(409);
        assertThat(post("/api/jobs/" + done + "/pause", "").statusCode()).isEqualTo(409);
        assertThat(jobs.info(done).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void anUnknownJobIdIs404ForEveryJobEndpoint() throws Exception {
        start();
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("/api/jobs/" + unknown, "/api/jobs/" + unknown + "/logs", "/api/jobs/nonsense")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(contentType(response)).startsWith("application/problem+json");
            assertThat(json(response).get("status").asInt()).isEqualTo(404);
        }
        assertThat(post("/api/jobs/" + unknown + "/pause", "").statusCode()).isEqualTo(404);
        assertThat(get("/api/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/ui/../openapi.json").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownJobTypeIs404() throws Exception {
        start();
        HttpResponse<String> response = post("/api/jobs", "{\"name\":\"web.nope\",\"parameters\":{}}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("title").asText()).isEqualTo("Unknown job type");
    }

    @Test
    void malformedJsonIs400WithoutAStackTrace() throws Exception {
        start();
        HttpResponse<String> response = post("/api/jobs", "{\"name\": \"web.echo\", \"parameters\": {");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(contentType(response)).startsWith("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.get("title").asText()).isEqualTo("Malformed JSON");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.has("type")).isTrue();
        assertThat(response.body())
                .doesNotContain("at com.")
                .doesNotContain("Exception")
                .doesNotContain(dir.toString());
    }

    @Test
    void aParameterOfTheWrongTypeIs400NamingTheField() throws Exception {
        start();
        HttpResponse<String> response =
                post("/api/jobs", "{\"name\":\"web.echo\",\"parameters\":{\"count\":\"three\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = json(response);
        assertThat(problem.get("title").asText()).isEqualTo("Invalid parameters");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("count");
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void aMissingRequiredParameterIs400() throws Exception {
        start();
        HttpResponse<String> response = post("/api/jobs", "{\"name\":\"web.echo\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("errors").get(0).get("field").asText()).isEqualTo("count");
    }

    @Test
    void aBodyThatIsNotADispatchRequestIs400() throws Exception {
        start();
        assertThat(post("/api/jobs", "[1,2]").statusCode()).isEqualTo(400);
        assertThat(post("/api/jobs", "{\"name\":5}").statusCode()).isEqualTo(400);
        assertThat(post("/api/jobs", "{\"name\":\"web.echo\",\"parameters\":[]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/jobs", "").statusCode()).isEqualTo(400);
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        start();
        HttpResponse<String> response = send(request("/api/job-types")
                .header("X-Jobs-Request", "1")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void jobTypesListNamesWithTheirJsonSchema() throws Exception {
        start();
        JsonNode types = json(get("/api/job-types")).get("types");
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("web.echo", "web.gate");
        for (JsonNode t : types) {
            if (t.get("name").asText().equals("web.echo")) {
                assertThat(t.get("schema").isObject()).isTrue();
                assertThat(t.get("schema").toString()).contains("count");
            }
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() throws Exception {
        start();
        HttpResponse<String> response = get("/api/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response);
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths)
                .contains(
                        "/api/jobs",
                        "/api/jobs/{id}",
                        "/api/jobs/{id}/logs",
                        "/api/jobs/{id}/events",
                        "/api/jobs/{id}/pause",
                        "/api/jobs/{id}/resume",
                        "/api/jobs/{id}/cancel",
                        "/api/jobs/{id}/rerun",
                        "/api/job-types",
                        "/api/events",
                        "/api/schedules",
                        "/api/schedules/{name}",
                        "/api/schedules/{name}/run",
                        "/api/openapi.json");
    }

    @Test
    void anXssLookingParameterComesBackAsEscapedJsonNeverHtml() throws Exception {
        start();
        String script = "<script>alert('x')</script>";
        HttpResponse<String> created = post(
                "/api/jobs",
                "{\"name\":\"web.echo\",\"parameters\":{\"count\":1,\"label\":\"" + script.replace("'", "\\u0027")
                        + "\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        UUID id = UUID.fromString(json(created).get("id").asText());
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);

        for (HttpResponse<String> response :
                List.of(created, get("/api/jobs/" + id), get("/api/jobs/" + id + "/logs"), get("/api/jobs"))) {
            assertThat(contentType(response)).startsWith("application/json").doesNotContain("html");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.body()).doesNotContain("<").doesNotContain(">");
        }
        JsonNode job = json(get("/api/jobs/" + id));
        assertThat(job.get("parameters").get("label").asText()).isEqualTo(script);
        assertThat(job.get("output").asText()).isEqualTo(script);
    }

    @Test
    void anXssLookingJobNameInAnErrorIsEscapedToo() throws Exception {
        start();
        HttpResponse<String> response = post("/api/jobs", "{\"name\":\"<img src=x onerror=alert(1)>\"}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(contentType(response)).startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("<img");
        assertThat(json(response).get("detail").asText()).contains("<img src=x onerror=alert(1)>");
    }
}
