package dev.jobs.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.InvalidParametersException;
import dev.jobs.JobException;
import dev.jobs.JobStatus;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.IllegalJobStateException;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobNotFoundException;
import dev.jobs.runtime.JobQuery;
import dev.jobs.runtime.LogLine;
import dev.jobs.runtime.ManagerClosedException;
import dev.jobs.runtime.ScheduleInfo;
import dev.jobs.runtime.Schedules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Routes, checks and answers the API's requests. */
final class ApiHandler {
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
    static final String CSRF_HEADER = "X-Jobs-Request";
    private static final int MAX_LIMIT = 1000;
    private static final long DISCARD_LIMIT = 64L << 20;
    private static final Set<String> ACTIONS = Set.of("pause", "resume", "cancel", "rerun");

    private final JobManager jobs;
    private final JobsWeb.Options options;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final Dashboard dashboard;
    /** Whether requests without a token must name a loopback host (the standalone server). */
    private final boolean checkHosts;

    private volatile boolean closed;

    ApiHandler(JobManager jobs, JobsWeb.Options options, boolean checkHosts) {
        this.jobs = jobs;
        this.options = options;
        this.checkHosts = checkHosts;
        this.dashboard = new Dashboard(options.dashboard);
    }

    void close() {
        closed = true;
        for (EventStream s : streams) {
            s.end();
        }
        // let each stream finish its response (the last chunk) before the server drops the connections
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (EventStream s : streams) {
            try {
                if (!s.finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Answers one request; never throws. */
    void handle(Exchange exchange) {
        try {
            try {
                route(exchange);
            } catch (ApiException e) {
                problem(exchange, e);
            } catch (InvalidParametersException e) {
                ArrayNode errors = Json.array();
                ObjectNode error = errors.addObject();
                error.put("field", e.field());
                error.put("problem", e.problem());
                problem(exchange, new ApiException(400, "Invalid parameters", e.getMessage(), errors, Map.of()));
            } catch (UnknownJobException e) {
                problem(exchange, new ApiException(404, "Unknown job type", e.getMessage()));
            } catch (JobNotFoundException e) {
                problem(exchange, new ApiException(404, "Job not found", e.getMessage()));
            } catch (IllegalJobStateException e) {
                problem(exchange, new ApiException(409, "Not allowed in the job's state", e.getMessage()));
            } catch (ManagerClosedException e) {
                problem(exchange, new ApiException(503, "Unavailable", "the job manager is closed"));
            } catch (JobException e) {
                problem(exchange, new ApiException(409, "Refused", e.getMessage()));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "jobs-web: writing a response failed", e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "jobs-web: request failed", e);
                problem(
                        exchange,
                        new ApiException(
                                500,
                                "Internal Server Error",
                                "the server could not complete the request; its log has the cause"));
            }
        } finally {
            exchange.close();
        }
    }

    private void route(Exchange ex) throws IOException {
        String path = ex.path();
        if (Dashboard.owns(path)) {
            dashboard.serve(ex);
            return;
        }
        checkHost(ex);
        authorize(ex);
        String method = ex.method();
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (parts.isEmpty() || !parts.get(0).equals("api")) {
            throw notFound();
        }
        parts = parts.subList(1, parts.size());
        Map<String, List<String>> query = query(ex);
        if (parts.equals(List.of("jobs"))) {
            if (method.equals("GET")) {
                listJobs(ex, query);
            } else if (method.equals("POST")) {
                checkWrite(ex);
                dispatch(ex);
            } else {
                throw methodNotAllowed("GET, POST");
            }
        } else if (parts.size() >= 2 && parts.get(0).equals("jobs")) {
            UUID id = Json.uuidOrNull(parts.get(1));
            if (parts.size() == 2) {
                requireGet(method);
                JobInfo info = info(id, parts.get(1));
                json(ex, 200, Json.detail(info, jobs.children(info.id())));
            } else if (parts.size() == 3 && parts.get(2).equals("logs")) {
                requireGet(method);
                logs(ex, info(id, parts.get(1)).id(), query);
            } else if (parts.size() == 3 && parts.get(2).equals("events")) {
                requireGet(method);
                JobInfo info = info(id, parts.get(1));
                stream(ex, info);
            } else if (parts.size() == 3 && ACTIONS.contains(parts.get(2))) {
                if (!method.equals("POST")) {
                    throw methodNotAllowed("POST");
                }
                checkWrite(ex);
                drainBody(ex);
                act(ex, info(id, parts.get(1)).id(), parts.get(2));
            } else {
                throw notFound();
            }
        } else if (parts.equals(List.of("job-types"))) {
            requireGet(method);
            ArrayNode types = Json.array();
            for (String name : jobs.jobTypes()) {
                types.addObject().put("name", name).set("schema", Json.embedded(jobs.schema(name)));
            }
            json(ex, 200, Json.object().set("types", types));
        } else if (parts.equals(List.of("schedules"))) {
            requireGet(method);
            ArrayNode items = Json.array();
            jobs.schedules().list().forEach(info -> items.add(Json.schedule(info)));
            json(ex, 200, Json.object().set("schedules", items));
        } else if (parts.size() >= 2 && parts.get(0).equals("schedules")) {
            schedule(ex, method, decode(parts.get(1)), parts.subList(2, parts.size()));
        } else if (parts.equals(List.of("events"))) {
            requireGet(method);
            stream(ex, null);
        } else if (parts.equals(List.of("openapi.json"))) {
            requireGet(method);
            try (InputStream in = ApiHandler.class.getResourceAsStream("openapi.json")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.json is missing from the jar");
                }
                send(ex, 200, "application/json", in.readAllBytes());
            }
        } else {
            throw notFound();
        }
    }

    // --- checks

    private void authorize(Exchange ex) {
        if (options.token == null) {
            return;
        }
        String header = ex.header("Authorization");
        String expected = "Bearer " + options.token;
        if (header == null
                || !MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(
                    401,
                    "Unauthorized",
                    "this server requires 'Authorization: Bearer <token>'",
                    null,
                    Map.of("WWW-Authenticate", "Bearer realm=\"jobs\""));
        }
    }

    /**
     * Without a token, only a request to a loopback name (or an allowed host) is answered: a page
     * of another site whose name was rebound to 127.0.0.1 (DNS rebinding) is same-origin with
     * {@code http://its-name:port} and could otherwise read and control the jobs. The JDK server
     * always checks; a servlet checks when allowed hosts are configured (its host protects it).
     */
    private void checkHost(Exchange ex) {
        if (options.token != null || (!checkHosts && options.allowedHosts.isEmpty())) {
            return;
        }
        Hosts.Authority host = Hosts.Authority.of(ex.header("Host"));
        if (host == null || !(Hosts.isLoopback(host.name()) || options.allowedHosts.contains(host.name()))) {
            throw new ApiException(
                    403,
                    "Host not allowed",
                    "this server answers requests to localhost only; give Options.allowedHosts(...) or a token"
                            + " to serve it under another name");
        }
    }

    private void checkWrite(Exchange ex) {
        if (options.readOnly) {
            throw new ApiException(403, "Read-only", "this server is read-only: it does not dispatch or control jobs");
        }
        String marker = ex.header(CSRF_HEADER);
        if (marker == null || marker.isBlank()) {
            throw new ApiException(
                    403,
                    "Missing request header",
                    "a POST must carry the header '" + CSRF_HEADER + ": 1' (protection against cross-site requests)");
        }
        String origin = ex.header("Origin");
        if (origin != null && !origin.equals("null") && !Hosts.sameSite(origin, ex, options.allowedHosts)) {
            throw new ApiException(
                    403,
                    "Cross-origin request",
                    "a request from another origin is refused (behind a proxy, pass the Host header on, or give"
                            + " Options.allowedHosts(...))");
        }
    }

    private static void requireGet(String method) {
        if (!method.equals("GET")) {
            throw methodNotAllowed("GET");
        }
    }

    private static ApiException methodNotAllowed(String allowed) {
        return new ApiException(405, "Method Not Allowed", "allowed here: " + allowed, null, Map.of("Allow", allowed));
    }

    private static ApiException notFound() {
        return new ApiException(404, "Not Found", "no such resource; GET /api/openapi.json lists them");
    }

    private JobInfo info(UUID id, String given) {
        if (id == null) {
            throw new ApiException(404, "Job not found", "no job has the id '" + given + "'");
        }
        return jobs.info(id);
    }

    // --- endpoints

    private void listJobs(Exchange ex, Map<String, List<String>> query) throws IOException {
        int limit = intParam(query, "limit", 50, 1, MAX_LIMIT);
        JobQuery q = JobQuery.all().limit(limit);
        List<JobStatus> statuses = new ArrayList<>();
        for (String s : values(query, "status")) {
            try {
                statuses.add(JobStatus.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Bad Request", "unknown status '" + s + "'");
            }
        }
        if (!statuses.isEmpty()) {
            q = q.statuses(statuses.toArray(JobStatus[]::new));
        }
        List<String> names = values(query, "name");
        if (!names.isEmpty()) {
            q = q.names(names.toArray(String[]::new));
        }
        String text = first(query, "q");
        if (text != null) {
            q = q.text(text);
        }
        String sort = first(query, "sort");
        if (sort != null) {
            switch (sort) {
                case "newest" -> {}
                case "oldest" -> q = q.oldestFirst();
                default -> throw new ApiException(400, "Bad Request", "'sort' must be 'newest' or 'oldest'");
            }
        }
        String after = first(query, "after");
        if (after != null) {
            UUID cursor = Json.uuidOrNull(after);
            if (cursor == null) {
                throw new ApiException(400, "Bad Request", "'after' must be the 'next' value of a previous page");
            }
            JobInfo last;
            try {
                last = jobs.info(cursor);
            } catch (JobNotFoundException e) {
                throw new ApiException(400, "Bad Request", "the job the cursor names no longer exists");
            }
            q = q.after(last);
        }
        List<JobInfo> page = jobs.list(q);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("jobs");
        for (JobInfo info : page) {
            items.add(Json.summary(info));
        }
        body.put("next", page.size() == limit ? page.get(page.size() - 1).id().toString() : null);
        json(ex, 200, body);
    }

    private void dispatch(Exchange ex) throws IOException {
        JsonNode body = readJson(ex);
        if (!body.isObject()) {
            throw new ApiException(
                    400, "Bad Request", "the body must be a JSON object {\"name\": ..., \"parameters\": {...}}");
        }
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual()) {
            throw new ApiException(400, "Bad Request", "'name' must be given as a string");
        }
        JsonNode parameters = body.get("parameters");
        if (parameters == null || parameters.isNull()) {
            parameters = Json.object();
        }
        if (!parameters.isObject()) {
            throw new ApiException(400, "Bad Request", "'parameters' must be a JSON object");
        }
        JobHandle<?> handle = jobs.dispatchByName(name.asText(), Json.write(parameters));
        JobInfo info = jobs.info(handle.id());
        ex.setHeader("Location", ex.mount() + "/api/jobs/" + handle.id());
        json(ex, 201, Json.detail(info, List.of()));
    }

    private void act(Exchange ex, UUID id, String action) throws IOException {
        UUID shown = id;
        switch (action) {
            case "pause" -> jobs.pause(id);
            case "resume" -> jobs.resume(id);
            case "cancel" -> jobs.cancel(id);
            default -> shown = jobs.rerun(id).id();
        }
        JobInfo info = jobs.info(shown);
        if (action.equals("rerun")) {
            ex.setHeader("Location", ex.mount() + "/api/jobs/" + shown);
            json(ex, 201, Json.detail(info, List.of()));
        } else {
            json(ex, 200, Json.detail(info, jobs.children(id)));
        }
    }

    private void schedule(Exchange ex, String method, String name, List<String> rest) throws IOException {
        Schedules schedules = jobs.schedules();
        if (rest.isEmpty()) {
            switch (method) {
                case "GET" -> json(ex, 200, Json.schedule(findSchedule(name)));
                case "PUT" -> {
                    checkWrite(ex);
                    ScheduleInfo saved = schedules.upsert(ScheduleRequest.read(name, readJson(ex)));
                    json(ex, 200, Json.schedule(saved));
                }
                case "DELETE" -> {
                    checkWrite(ex);
                    drainBody(ex);
                    if (!schedules.delete(name)) {
                        throw scheduleNotFound(name);
                    }
                    commonHeaders(ex);
                    ex.respond(204, -1).close();
                }
                default -> throw methodNotAllowed("GET, PUT, DELETE");
            }
            return;
        }
        if (rest.size() != 1 || !List.of("pause", "resume", "run").contains(rest.get(0))) {
            throw notFound();
        }
        if (!method.equals("POST")) {
            throw methodNotAllowed("POST");
        }
        checkWrite(ex);
        drainBody(ex);
        findSchedule(name);
        switch (rest.get(0)) {
            case "pause" -> schedules.pause(name);
            case "resume" -> schedules.resume(name);
            default -> {
                UUID id = schedules.triggerNow(name).id();
                ex.setHeader("Location", ex.mount() + "/api/jobs/" + id);
                json(ex, 201, Json.detail(jobs.info(id), List.of()));
                return;
            }
        }
        json(ex, 200, Json.schedule(findSchedule(name)));
    }

    private ScheduleInfo findSchedule(String name) {
        return jobs.schedules().find(name).orElseThrow(() -> scheduleNotFound(name));
    }

    private static ApiException scheduleNotFound(String name) {
        return new ApiException(404, "Schedule not found", "no schedule is called '" + name + "'");
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "Bad Request", "the path is not properly encoded");
        }
    }

    private void logs(Exchange ex, UUID id, Map<String, List<String>> query) throws IOException {
        long after = longParam(query, "after", 0);
        int limit = intParam(query, "limit", 200, 1, MAX_LIMIT);
        List<LogLine> lines = jobs.logs(id, after, limit);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("lines");
        for (LogLine line : lines) {
            items.add(Json.log(line));
        }
        body.put("next", lines.isEmpty() ? after : lines.get(lines.size() - 1).sequence());
        json(ex, 200, body);
    }

    private void stream(Exchange ex, JobInfo job) throws IOException {
        if (closed) {
            throw new ApiException(503, "Unavailable", "the server is closing");
        }
        EventStream s = new EventStream(ex, job == null ? null : job.id(), options.heartbeatMillis);
        synchronized (streams) {
            if (streams.size() >= options.maxEventStreams) {
                throw new ApiException(
                        503,
                        "Too many event streams",
                        "this server allows " + options.maxEventStreams + " open event streams; try again later",
                        null,
                        Map.of("Retry-After", "5"));
            }
            streams.add(s);
        }
        try {
            // the snapshot is read once the listener is registered: an event after it is not lost
            s.run(jobs, job == null ? null : () -> jobs.info(job.id()));
        } finally {
            ex.close();
            streams.remove(s);
            s.finished.countDown();
        }
    }

    // --- request reading

    private JsonNode readJson(Exchange ex) throws IOException {
        byte[] body = readBody(ex);
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ApiException(400, "Bad Request", "the body is empty; it must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ApiException(
                    400,
                    "Malformed JSON",
                    "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        }
    }

    private byte[] readBody(Exchange ex) throws IOException {
        String length = ex.header("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Bad Request", "bad Content-Length");
            }
            if (declared > options.maxBodyBytes) {
                discard(ex.requestBody());
                throw tooLarge();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = ex.requestBody();
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > options.maxBodyBytes) {
                discard(in);
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops what is left of a refused body, up to {@value #DISCARD_LIMIT} bytes, so that
     * the client, still sending, reads the 413 instead of a reset connection; beyond that the
     * connection is closed after the answer.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long dropped = 0;
        int n;
        while (dropped < DISCARD_LIMIT && (n = in.read(buffer)) > 0) {
            dropped += n;
        }
    }

    private void drainBody(Exchange ex) throws IOException {
        readBody(ex);
    }

    private ApiException tooLarge() {
        return new ApiException(
                413, "Content Too Large", "the request body is larger than " + options.maxBodyBytes + " bytes");
    }

    private static Map<String, List<String>> query(Exchange ex) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = ex.rawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Bad Request", "the query string is not properly encoded");
            }
        }
        return params;
    }

    /** The values of a parameter, given repeated or comma-separated. */
    private static List<String> values(Map<String, List<String>> query, String name) {
        List<String> out = new ArrayList<>();
        for (String v : query.getOrDefault(name, List.of())) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static int intParam(Map<String, List<String>> query, String name, int dflt, int min, int max) {
        long v = longParam(query, name, dflt);
        if (v < min || v > max) {
            throw new ApiException(400, "Bad Request", "'" + name + "' must be between " + min + " and " + max);
        }
        return (int) v;
    }

    private static long longParam(Map<String, List<String>> query, String name, long dflt) {
        String v = first(query, name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Bad Request", "'" + name + "' must be a whole number");
        }
    }

    // --- responses

    static void commonHeaders(Exchange ex) {
        ex.setHeader("X-Content-Type-Options", "nosniff");
        ex.setHeader("Cache-Control", "no-store");
        ex.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ex.setHeader("Referrer-Policy", "no-referrer");
    }

    private static void json(Exchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(Exchange ex, ApiException e) {
        ObjectNode body = Json.object();
        body.put("type", "about:blank");
        body.put("title", e.title);
        body.put("status", e.status);
        body.put("detail", e.getMessage());
        if (e.errors != null) {
            body.set("errors", e.errors);
        }
        e.headers.forEach((k, v) -> ex.setHeader(k, v));
        try {
            send(ex, e.status, "application/problem+json", Json.write(body).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException written) {
            // the response had started (an event stream): nothing more can be said
            LOG.log(System.Logger.Level.DEBUG, "jobs-web: cannot answer with a problem", written);
        }
    }

    private static void send(Exchange ex, int status, String contentType, byte[] body) throws IOException {
        commonHeaders(ex);
        ex.setHeader("Content-Type", contentType + "; charset=utf-8");
        try (OutputStream out = ex.respond(status, body.length == 0 ? -1 : body.length)) {
            out.write(body);
        }
    }
}
