package dev.jobs.web;

import dev.jobs.runtime.JobManager;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;

/**
 * The jobs API and dashboard as a Jakarta Servlet (6.0 or later), for a host that already runs
 * a servlet container: Spring Boot, Jetty, Tomcat. Map it to a path ending in {@code /*}; the
 * dashboard is then at that path with a slash, the API under its {@code api/}.
 *
 * <pre>{@code
 * // Spring Boot: the dashboard at /jobs/, the API at /jobs/api/jobs
 * @Bean
 * ServletRegistrationBean<JobsServlet> jobsServlet(JobManager jobs) {
 *     return new ServletRegistrationBean<>(new JobsServlet(jobs), "/jobs/*");
 * }
 * }</pre>
 *
 * <p>The options' port and bind address are the container's business and are ignored here; the
 * token, read-only mode, body limit and event stream limit apply. With no token, protect the path
 * with the host's own security (Spring Security, a proxy), as for any page that controls jobs.
 * Each open event stream holds one of the container's request threads.
 */
public class JobsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ApiHandler handler;

    /** The API over {@code jobs} with the default options. */
    public JobsServlet(JobManager jobs) {
        this(jobs, JobsWeb.Options.defaults());
    }

    public JobsServlet(JobManager jobs, JobsWeb.Options options) {
        this.handler =
                new ApiHandler(Objects.requireNonNull(jobs, "jobs"), Objects.requireNonNull(options, "options"), false);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(new ServletExchange(request, response));
    }

    /** Ends the open event streams; the manager is left open. */
    @Override
    public void destroy() {
        handler.close();
    }
}
