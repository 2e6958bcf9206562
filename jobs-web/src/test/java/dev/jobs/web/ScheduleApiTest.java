package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ScheduleApiTest extends WebTestSupport {
    private static final String HOURLY =
            "{\"schedule\":\"every 1h\",\"job\":\"web.echo\",\"parameters\":{\"count\":2,\"label\":\"s\"}}";

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(request(path)
                .header("Content-Type", "application/json")
                .header("X-Jobs-Request", "1")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return send(request(path).header("X-Jobs-Request", "1").DELETE().build());
    }

    @Test
    void putCreatesAScheduleThatTheListAndTheDetailShow() throws Exception {
        start();
        HttpResponse<String> created = put("/api/schedules/nightly%20echo", HOURLY);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(json(created).get("schedule").asText()).isEqualTo("every PT1H");
        assertThat(jobs.schedules().find("nightly echo")).isPresent();

        JsonNode list = json(get("/api/schedules")).get("schedules");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("name").asText()).isEqualTo("nightly echo");
        assertThat(list.get(0).get("job").asText()).isEqualTo("web.echo");
        assertThat(list.get(0).get("parameters").get("count").asInt()).isEqualTo(2);
        assertThat(json(get("/api/schedules/nightly%20echo")).get("paused").asBoolean())
                .isFalse();
    }

    @Test
    void pauseResumeAndRunNowAct() throws Exception {
        start();
        put("/api/schedules/hourly", HOURLY);
        HttpResponse<String> paused = post("/api/schedules/hourly/pause", "");
        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(json(paused).get("paused").asBoolean()).isTrue();
        assertThat(jobs.schedules().find("hourly").orElseThrow().paused()).isTrue();

        HttpResponse<String> run = post("/api/schedules/hourly/run", "");
        assertThat(run.statusCode()).isEqualTo(201);
        UUID id = UUID.fromString(json(run).get("id").asText());
        assertThat(run.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        assertThat(jobs.handle(id).result().get(30, TimeUnit.SECONDS)).isEqualTo("ss");

        assertThat(json(post("/api/schedules/hourly/resume", "")).get("paused").asBoolean())
                .isFalse();
    }

    @Test
    void deleteRemovesTheScheduleAndThenItIs404() throws Exception {
        start();
        put("/api/schedules/hourly", HOURLY);
        assertThat(delete("/api/schedules/hourly").statusCode()).isEqualTo(204);
        assertThat(jobs.schedules().find("hourly")).isEmpty();
        assertThat(get("/api/schedules/hourly").statusCode()).isEqualTo(404);
        assertThat(delete("/api/schedules/hourly").statusCode()).isEqualTo(404);
        assertThat(post("/api/schedules/hourly/pause", "").statusCode()).isEqualTo(404);
    }

    @Test
    void aBadScheduleTextOrAnUnknownJobIsRefusedNamingIt() throws Exception {
        start();
        HttpResponse<String> badText = put(
                "/api/schedules/x", "{\"schedule\":\"sometimes\",\"job\":\"web.echo\",\"parameters\":{\"count\":1}}");
        assertThat(badText.statusCode()).isEqualTo(400);
        assertThat(json(badText).get("detail").asText()).contains("'sometimes'");
        HttpResponse<String> unknown = put("/api/schedules/x", "{\"schedule\":\"every 1h\",\"job\":\"no.such\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> badOverlap = put(
                "/api/schedules/x",
                "{\"schedule\":\"every 1h\",\"job\":\"web.echo\",\"parameters\":{\"count\":1},\"overlap\":\"maybe\"}");
        assertThat(badOverlap.statusCode()).isEqualTo(400);
        assertThat(json(badOverlap).get("detail").asText()).contains("'overlap'");
        assertThat(jobs.schedules().list()).isEmpty();
    }

    @Test
    void aBlankNameOrAFractionalCapIs400() throws Exception {
        start();
        assertThat(put("/api/schedules/%20", HOURLY).statusCode()).isEqualTo(400);
        HttpResponse<String> cap = put(
                "/api/schedules/x",
                "{\"schedule\":\"every 1h\",\"job\":\"web.echo\",\"parameters\":{\"count\":1},"
                        + "\"catchUp\":\"ALL\",\"catchUpCap\":2.9}");
        assertThat(cap.statusCode()).isEqualTo(400);
        assertThat(jobs.schedules().list()).isEmpty();
    }

    @Test
    void aReadOnlyServerRefusesToChangeSchedules() throws Exception {
        start(JobsWeb.Options.defaults().readOnly(true));
        assertThat(put("/api/schedules/hourly", HOURLY).statusCode()).isEqualTo(403);
        assertThat(jobs.schedules().list()).isEmpty();
        assertThat(get("/api/schedules").statusCode()).isEqualTo(200);
    }
}
