package dev.jobs.web;

import com.sun.net.httpserver.HttpServer;
import dev.jobs.runtime.JobManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs HTTP API (JSON, Server-Sent Events) over a {@link JobManager}, on the JDK's own HTTP
 * server. Binds 127.0.0.1 by default; bound to any other address it requires a bearer token.
 *
 * <pre>{@code
 * try (JobsWeb web = JobsWeb.start(jobs, JobsWeb.Options.defaults().port(8080))) {
 *     System.out.println("API at " + web.url() + "api/jobs");
 *     ...
 * }
 * }</pre>
 */
public final class JobsWeb implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiHandler handler;
    private final String url;

    private JobsWeb(HttpServer server, ExecutorService executor, ApiHandler handler, String url) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.url = url;
    }

    /**
     * Starts serving {@code jobs} with these options; returns once the server listens.
     *
     * @throws IllegalArgumentException the bind address is not a loopback address and no token is
     *     configured, or the address cannot be resolved
     * @throws UncheckedIOException the port cannot be bound
     */
    public static JobsWeb start(JobManager jobs, Options options) {
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(options, "options");
        InetAddress address;
        try {
            address = InetAddress.getByName(options.bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the bind address '" + options.bind + "'", e);
        }
        if (!address.isLoopbackAddress() && options.token == null) {
            throw new IllegalArgumentException("refusing to serve the jobs API on " + options.bind
                    + ", which is not a loopback address, without a token: give Options.token(...)"
                    + " (clients then send 'Authorization: Bearer <token>'), or bind 127.0.0.1");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, options.port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.bind + ":" + options.port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jobs-web-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ApiHandler handler = new ApiHandler(jobs, options, true);
        server.createContext("/", exchange -> handler.handle(new JdkExchange(exchange)));
        server.setExecutor(executor);
        server.start();
        String host = address.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        String url = "http://" + host + ":" + server.getAddress().getPort() + "/";
        return new JobsWeb(server, executor, handler, url);
    }

    /** The port the server listens on (the one chosen by the system when the options gave 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's base URL, ending with a slash, such as {@code http://127.0.0.1:8080/}. */
    public String url() {
        return url;
    }

    /** Ends the event streams, stops listening and returns; the manager is left open. */
    @Override
    public void close() {
        handler.close();
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * How the server listens and whom it serves. Immutable: every method returns a changed copy
     * (the fields are set only on a copy that nobody else has seen yet).
     */
    public static final class Options implements Cloneable {
        int port = 8080;
        String bind = "127.0.0.1";
        String token;
        boolean readOnly;
        int maxBodyBytes = 1 << 20;
        int maxEventStreams = 32;
        long heartbeatMillis = 15_000;
        boolean dashboard = true;
        java.util.Set<String> allowedHosts = java.util.Set.of();

        private Options() {}

        /**
         * Port 8080 on 127.0.0.1, no token, read-write, request bodies up to 1 MiB, 32 event streams,
         * the dashboard served.
         */
        public static Options defaults() {
            return new Options();
        }

        /** A copy of these options with {@code change} applied to it. */
        private Options with(java.util.function.Consumer<Options> change) {
            Options copy;
            try {
                copy = (Options) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
            change.accept(copy);
            return copy;
        }

        /**
         * Host names, besides localhost, under which the server is reached (a name that points at
         * it, a proxy's name): without a token, a request whose {@code Host} is neither is refused
         * (403), which defeats DNS rebinding; and a browser's write request from {@code
         * http(s)://name} is accepted. In a servlet, giving them turns the Host check on.
         */
        public Options allowedHosts(String... hosts) {
            java.util.Set<String> set = new java.util.LinkedHashSet<>();
            for (String h : hosts) {
                if (h == null || h.isBlank() || h.contains("/") || h.contains(":")) {
                    throw new IllegalArgumentException(
                            "an allowed host is a name without scheme or port, was '" + h + "'");
                }
                set.add(h.strip().toLowerCase(java.util.Locale.ROOT));
            }
            java.util.Set<String> allowed = java.util.Set.copyOf(set);
            return with(o -> o.allowedHosts = allowed);
        }

        /**
         * Whether to serve the dashboard (default true) at the root, beside the API under {@code
         * api/}; without it, only the API answers.
         */
        public Options dashboard(boolean serve) {
            return with(o -> o.dashboard = serve);
        }

        /** The port to listen on, 0 for one the system chooses. */
        public Options port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            return with(o -> o.port = port);
        }

        /** The address to bind (default 127.0.0.1); any other than a loopback address needs a token. */
        public Options bind(String address) {
            Objects.requireNonNull(address, "address");
            return with(o -> o.bind = address);
        }

        /** Requires {@code Authorization: Bearer <token>} on every request. */
        public Options token(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("token must not be null or blank");
            }
            return with(o -> o.token = token);
        }

        /** Answers every POST (dispatch, pause, resume, cancel, rerun) with 403. */
        public Options readOnly(boolean readOnly) {
            return with(o -> o.readOnly = readOnly);
        }

        /** The largest request body accepted (default 1 MiB); a larger one is answered with 413. */
        public Options maxBodyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, was " + bytes);
            }
            return with(o -> o.maxBodyBytes = bytes);
        }

        /**
         * How many event streams may be open at once (default 32); one more is answered with 503.
         * Each open stream holds one of the server's threads.
         */
        public Options maxEventStreams(int streams) {
            if (streams < 0) {
                throw new IllegalArgumentException("maxEventStreams must not be negative, was " + streams);
            }
            return with(o -> o.maxEventStreams = streams);
        }

        /** The time between heartbeat comments of a quiet event stream (15 seconds; shorter in tests). */
        Options heartbeatMillis(long millis) {
            return with(o -> o.heartbeatMillis = millis);
        }
    }
}
