package dev.jobs.examples.cli;

import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobctl serve}: the HTTP API of jobs-web on this database, with workers running its jobs. */
@Command(
        name = "serve",
        description =
                "Serve the dashboard and HTTP API (jobs-web, see docs/web.md) on this database, running its jobs, until"
                        + " stopped (Ctrl-C). Binds 127.0.0.1 unless --bind is given, which then needs --token"
                        + " (or JOBS_TOKEN).")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port (0: any free one).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS", description = "Address to listen on.")
    String bind;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token required by every request (default: $JOBS_TOKEN, if set).")
    String token;

    @Option(
            names = "--allowed-host",
            paramLabel = "NAME",
            description = "A host name, besides localhost, under which the server is reached without a token"
                    + " (a proxy's name); repeatable.")
    java.util.List<String> allowedHosts = new java.util.ArrayList<>();

    @Option(names = "--read-only", description = "Refuse every request that changes something.")
    boolean readOnly;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Jobs run at once.")
    int workers;

    @Override
    public Integer call() throws Exception {
        String secret = token != null ? token : System.getenv("JOBS_TOKEN");
        CountDownLatch stopped = new CountDownLatch(1);
        try (JobManager jobs = root.worker(workers)) {
            WebServer.Running web;
            try {
                web = WebServer.start(jobs, port, bind, secret, readOnly, allowedHosts);
            } catch (IllegalArgumentException e) {
                throw new JobCtl.Failure(JobCtl.USAGE, e.getMessage());
            }
            AutoCloseable server = web.server();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    // stopping anyway
                }
                stopped.countDown();
            }));
            root.out.println("serving " + root.database + ": dashboard " + web.url() + ", API " + web.url()
                    + "api/jobs (Ctrl-C stops)");
            root.out.flush();
            stopped.await();
        }
        return 0;
    }
}
