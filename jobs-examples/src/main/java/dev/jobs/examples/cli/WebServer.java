package dev.jobs.examples.cli;

import dev.jobs.runtime.JobManager;
import dev.jobs.web.JobsWeb;

/**
 * Starts jobs-web for {@code jobctl serve}. Kept apart from {@link ServeCommand}, whose methods
 * picocli reads reflectively when jobctl starts: no jobs-web type appears in them, so jobctl runs
 * without jobs-web on its module path until {@code serve} is used.
 */
final class WebServer {
    private WebServer() {}

    /** A running server: its URL, and how to stop it. */
    record Running(String url, AutoCloseable server) {}

    static Running start(
            JobManager jobs,
            int port,
            String bind,
            String token,
            boolean readOnly,
            java.util.List<String> allowedHosts) {
        JobsWeb.Options options = JobsWeb.Options.defaults()
                .port(port)
                .bind(bind)
                .readOnly(readOnly)
                .allowedHosts(allowedHosts.toArray(String[]::new));
        if (token != null && !token.isEmpty()) {
            options = options.token(token);
        }
        JobsWeb web = JobsWeb.start(jobs, options);
        return new Running(web.url(), web);
    }
}
