package dev.jobs.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobManager;
import dev.jobs.spring.app.Ledger;
import dev.jobs.spring.app.LedgerApplication;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole application on a real port: a REST controller dispatches a job by name, the job runs with
 * a Spring bean injected, and the Actuator shows the manager's health.
 */
@SpringBootTest(
        classes = LedgerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ledger.name=app",
            "management.endpoints.web.exposure.include=health,jobs",
            "management.endpoint.health.show-details=always", // else /actuator/health/jobs is not served
            "jobs.web.enabled=true",
            "jobs.web.path=/admin/jobs/*",
            "jobs.web.token=s3cret",
            "jobs.web.read-only=true"
        })
@DirtiesContext // closed after the class, before its temporary directory is deleted
class DispatchFromControllerTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("jobs.database", () -> dir.resolve("jobs.db").toString());
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    JobManager jobs;

    @Autowired
    Ledger ledger;

    @Test
    void aJobDispatchedByNameFromAControllerRunsWithTheInjectedBean() throws Exception {
        HttpResponse<String> response =
                Http.postJson("http://localhost:" + port + "/dispatch/ledger", "{\"account\":\"acme\",\"entries\":3}");

        assertThat(response.statusCode()).isEqualTo(202);
        UUID id = UUID.fromString(response.body());
        assertThat(jobs.handle(id).result().get(30, TimeUnit.SECONDS)).isEqualTo("app:3");
        assertThat(ledger.entries()).containsExactly("acme:0", "acme:1", "acme:2");
        assertThat(jobs.info(id).status()).isEqualTo(JobStatus.COMPLETED);

        HttpResponse<String> shown = Http.get("http://localhost:" + port + "/actuator/jobs/" + id);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body())
                .contains("\"id\":\"" + id + "\"", "\"status\":\"COMPLETED\"", "\"progress\":1.0")
                .containsPattern("\"createdAt\":\"\\d{4}-\\d\\d-\\d\\dT");
        assertThat(Http.get("http://localhost:" + port + "/actuator/jobs/ffffffff-0000-0000-0000-000000000000")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void anUnknownJobNameIsAnswered404AndBadParameters400() throws Exception {
        HttpResponse<String> unknown = Http.postJson("http://localhost:" + port + "/dispatch/nope", "{}");
        HttpResponse<String> invalid = Http.postJson(
                "http://localhost:" + port + "/dispatch/ledger", "{\"account\":\"a\",\"entries\":\"many\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown job 'nope'");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("entries");
    }

    @Test
    void theActuatorReportsTheJobsHealthAndEndpoint() throws Exception {
        HttpResponse<String> health = Http.get("http://localhost:" + port + "/actuator/health/jobs");
        HttpResponse<String> endpoint = Http.get("http://localhost:" + port + "/actuator/jobs");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.body()).contains("\"count\"").contains("\"jobs\"");
    }

    @Test
    void theDashboardServletIsMountedWithTheTokenAndReadOnlyModeOfTheProperties() throws Exception {
        String api = "http://localhost:" + port + "/admin/jobs/api/jobs";

        assertThat(Http.get(api).statusCode()).isEqualTo(401);
        assertThat(Http.get(api, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        HttpResponse<String> dispatch = Http.post(
                api,
                "{\"name\":\"ledger\",\"parameters\":{\"account\":\"x\"}}",
                "Authorization",
                "Bearer s3cret",
                "Content-Type",
                "application/json",
                "X-Jobs-Request",
                "1");
        assertThat(dispatch.statusCode()).isEqualTo(403);
        assertThat(dispatch.body()).contains("read-only");
    }
}
