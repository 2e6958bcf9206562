package dev.jobs.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * {@link JobsServlet} in a real servlet container (Jetty 12, Servlet 6.0), mounted at {@code
 * /jobs/*} of the context {@code /app}, as a Spring Boot or Tomcat host would mount it.
 */
@Timeout(120)
class ServletMountTest extends BrowserTestSupport {
    private Server jetty;
    private String base;

    private void mount(JobsWeb.Options options) throws Exception {
        mount(options, null);
    }

    private void mount(JobsWeb.Options options, Filter filter) throws Exception {
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler("/app");
        if (filter != null) {
            context.addFilter(new FilterHolder(filter), "/jobs/api/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(new JobsServlet(jobs, options)), "/jobs/*");
        jetty.setHandler(context);
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        base = "http://127.0.0.1:" + port + "/app/jobs/";
    }

    @AfterEach
    void stopJetty() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    @Override
    String dashboardUrl() {
        return base;
    }

    private HttpResponse<String> at(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base).resolve(path)).GET().build());
    }

    @Test
    void theApiAnswersBelowTheMountAndLocationsIncludeIt() throws Exception {
        mount(JobsWeb.Options.defaults());
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "api/jobs"))
                .header("Content-Type", "application/json")
                .header("X-Jobs-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"web.echo\",\"parameters\":{\"count\":3}}"))
                .build());
        assertThat(created.statusCode()).isEqualTo(201);
        UUID id = UUID.fromString(json(created).get("id").asText());
        assertThat(created.headers().firstValue("Location")).hasValue("/app/jobs/api/jobs/" + id);
        assertThat(jobs.handle(id).result().get(30, TimeUnit.SECONDS)).isEqualTo("xxx");
        assertThat(json(at("api/jobs/" + id)).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(at("api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void theEventStreamOfAFinishedJobSendsItsSnapshotAndEnds() throws Exception {
        mount(JobsWeb.Options.defaults());
        UUID id = jobs.dispatchByName("web.echo", "{\"count\":1}").id();
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);
        HttpResponse<String> events = at("api/jobs/" + id + "/events");
        assertThat(events.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(events.body()).contains("event: snapshot").contains("\"status\":\"COMPLETED\"");
    }

    @Test
    void theMountWithoutItsSlashRedirectsToTheDashboard() throws Exception {
        mount(JobsWeb.Options.defaults());
        HttpResponse<String> bare = at("/app/jobs");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("/app/jobs/");
        assertThat(at("/app/jobs/").body()).contains("ui/app.js");
        assertThat(at("/app/jobs/ui/app.js").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenAndReadOnlyModeApplyInTheServletToo() throws Exception {
        mount(JobsWeb.Options.defaults().token("s3cret").readOnly(true));
        assertThat(at("api/jobs").statusCode()).isEqualTo(401);
        HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "api/jobs"))
                .header("Authorization", "Bearer s3cret")
                .header("X-Jobs-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"web.echo\",\"parameters\":{\"count\":1}}"))
                .build());
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(jobs.list(dev.jobs.runtime.JobQuery.all())).isEmpty();
    }

    @Test
    void theDashboardWorksBelowTheMountInABrowser() throws Exception {
        mount(JobsWeb.Options.defaults());
        String key = gateKey();
        open("#/dispatch/web.gate");
        awaitElement("#field-key").sendKeys(key);
        browser.findElement(By.id("dispatch-submit")).click();
        awaitText("#job-percent", "50%");
        GateJob.release(key);
        awaitElement("#job-status .status[data-status=\"" + JobStatus.COMPLETED + "\"]");
        assertThat(browser.getCurrentUrl()).startsWith(base + "#/jobs/");
    }

    /**
     * Holds back the answer to the first read of one job's detail, already read, until released:
     * the network delivering an older answer after a newer one.
     */
    private static final class HoldFirstDetailRead implements Filter {
        private final String path;
        private final AtomicBoolean first = new AtomicBoolean(true);
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch delivered = new CountDownLatch(1);

        HoldFirstDetailRead(UUID job) {
            this.path = "/app/jobs/api/jobs/" + job;
        }

        @Override
        public void doFilter(
                jakarta.servlet.ServletRequest request,
                jakarta.servlet.ServletResponse response,
                jakarta.servlet.FilterChain chain)
                throws java.io.IOException, jakarta.servlet.ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            if (!http.getRequestURI().equals(path) || !first.compareAndSet(true, false)) {
                chain.doFilter(request, response);
                return;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            chain.doFilter(request, new Buffered((HttpServletResponse) response, body));
            read.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.getOutputStream().write(body.toByteArray());
            response.flushBuffer();
            delivered.countDown();
        }
    }

    /** A response whose body goes to a buffer and which never commits. */
    private static final class Buffered extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream body;

        Buffered(HttpServletResponse response, ByteArrayOutputStream body) {
            super(response);
            this.body = body;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public void flushBuffer() {}
    }

    @Test
    void anOlderAnswerArrivingAfterANewerOneIsNotShownOverIt() throws Exception {
        String key = gateKey();
        UUID id = jobs.dispatchByName("web.gate", "{\"key\":\"" + key + "\"}").id();
        await(d -> jobs.info(id).progress().isPresent());
        HoldFirstDetailRead hold = new HoldFirstDetailRead(id);
        mount(JobsWeb.Options.defaults(), hold);
        open("#/jobs/" + id);
        assertThat(hold.read.await(30, TimeUnit.SECONDS)).isTrue(); // it read RUNNING

        GateJob.release(key);
        jobs.handle(id).result().get(30, TimeUnit.SECONDS);
        awaitElement("#job-status .status[data-status=\"" + JobStatus.COMPLETED + "\"]");
        hold.release.countDown();
        assertThat(hold.delivered.await(30, TimeUnit.SECONDS)).isTrue();
        // a request sent after the stale answer was delivered, answered after it: the page has had it
        browser.executeAsyncScript("const done = arguments[arguments.length - 1];" + "fetch('api/jobs/" + id
                + "').then((r) => r.text()).then(() => setTimeout(done, 0));");

        assertThat(browser.findElements(
                        By.cssSelector("#job-status .status[data-status=\"" + JobStatus.COMPLETED + "\"]")))
                .as("the page still shows the newer answer")
                .hasSize(1);
        assertThat(browser.findElement(By.id("action-rerun")).isEnabled()).isTrue();
    }
}
