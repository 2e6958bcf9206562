package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The dashboard's files: served from the jar with a strict policy, nothing else reachable. */
class DashboardServingTest extends WebTestSupport {

    @Test
    void theRootServesThePageWithAContentSecurityPolicyThatForbidsInlineScript() throws Exception {
        start();
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"ui/app.js\">");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy)
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline")
                .contains("frame-ancestors 'none'");
    }

    @Test
    void scriptsAndStylesAreServedWithTheirTypes() throws Exception {
        start();
        for (String file : new String[] {"app.js", "api.js", "dom.js", "form.js"}) {
            HttpResponse<String> script = get("/ui/" + file);
            assertThat(script.statusCode()).as(file).isEqualTo(200);
            assertThat(contentType(script)).startsWith("text/javascript");
        }
        assertThat(contentType(get("/ui/style.css"))).startsWith("text/css");
    }

    @Test
    void theDashboardNeedsNoTokenButTheApiDoes() throws Exception {
        start(JobsWeb.Options.defaults().token("s3cret"));
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(get("/ui/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/api/jobs").statusCode()).isEqualTo(401);
    }

    @Test
    void noOtherResourceOfTheJarCanBeReached() throws Exception {
        start();
        for (String path : new String[] {
            "/ui/../openapi.json", "/ui/%2e%2e/openapi.json", "/ui/Dashboard.class", "/ui/index.html", "/ui/", "/x.js"
        }) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void withTheDashboardOffOnlyTheApiAnswers() throws Exception {
        start(JobsWeb.Options.defaults().dashboard(false));
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/api/jobs").statusCode()).isEqualTo(200);
    }
}
