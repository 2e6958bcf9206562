package dev.jobs.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the dashboard: {@code index.html} at the mount point and its scripts and style sheet
 * under {@code ui/}, from the jar. It is static: what it shows comes from the API, which checks the
 * token; the page itself holds no data and needs none.
 */
final class Dashboard {
    /** Files of the dashboard, by name: no path can reach any other resource of the jar. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(js|css|svg)");

    private static final Map<String, String> TYPES =
            Map.of("js", "text/javascript", "css", "text/css", "svg", "image/svg+xml", "html", "text/html");

    /** Scripts and styles only from this server; no inline script, no framing, no other origin. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final boolean enabled;

    Dashboard(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether {@code path} (below the mount point) is the dashboard's rather than the API's. */
    static boolean owns(String path) {
        return !path.equals("/api") && !path.startsWith("/api/");
    }

    void serve(Exchange ex) throws IOException {
        String path = ex.path();
        if (!enabled) {
            throw notFound();
        }
        if (!ex.method().equals("GET")) {
            throw new ApiException(405, "Method Not Allowed", "allowed here: GET", null, Map.of("Allow", "GET"));
        }
        if (path.isEmpty()) {
            // the page's relative links need the slash
            ex.setHeader("Location", ex.mount() + "/");
            ApiHandler.commonHeaders(ex);
            ex.respond(302, -1).close();
            return;
        }
        String file;
        if (path.equals("/") || path.equals("/index.html")) {
            file = "index.html";
        } else if (path.startsWith("/ui/") && NAME.matcher(path.substring(4)).matches()) {
            file = path.substring(4);
        } else {
            throw notFound();
        }
        byte[] body = read(file);
        if (body == null) {
            throw notFound();
        }
        ApiHandler.commonHeaders(ex);
        ex.setHeader("Content-Security-Policy", POLICY);
        ex.setHeader("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)) + "; charset=utf-8");
        try (OutputStream out = ex.respond(200, body.length)) {
            out.write(body);
        }
    }

    private static byte[] read(String file) {
        try (InputStream in = Dashboard.class.getResourceAsStream("ui/" + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException notFound() {
        return new ApiException(
                404, "Not Found", "no such page; the dashboard is at the mount point, the API under api/");
    }
}
