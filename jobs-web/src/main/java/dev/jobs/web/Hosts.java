package dev.jobs.web;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Host names and origins, for the checks against DNS rebinding and cross-site requests. */
final class Hosts {
    private Hosts() {}

    /** {@code localhost}, a name under {@code .localhost}, 127.0.0.0/8 or ::1. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a request's {@code Origin} is the server's own: its host and port are those of the
     * {@code Host} header or of {@code X-Forwarded-Host} (a proxy that rewrites Host), over http or
     * https, default ports omitted or not; or its host is one of {@code allowed}.
     */
    static boolean sameSite(String origin, Exchange ex, Set<String> allowed) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (allowed.contains(host)) {
            return true;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        for (String header : new String[] {ex.header("Host"), ex.header("X-Forwarded-Host")}) {
            if (header != null && matches(header.split(",")[0].trim(), host, port)) {
                return true;
            }
        }
        return false;
    }

    /** A Host header's name (lower case, without brackets) and its port text (null if none). */
    record Authority(String name, String port) {
        /** The authority of a Host header, or null if there is none or it cannot be read. */
        static Authority of(String header) {
            if (header == null || header.isBlank()) {
                return null;
            }
            String h = header.trim().toLowerCase(Locale.ROOT);
            if (h.startsWith("[")) {
                int end = h.indexOf(']');
                if (end < 0) {
                    return null;
                }
                boolean port = h.length() > end + 1 && h.charAt(end + 1) == ':';
                return new Authority(h.substring(1, end), port ? h.substring(end + 2) : null);
            }
            int colon = h.lastIndexOf(':');
            return colon < 0 ? new Authority(h, null) : new Authority(h.substring(0, colon), h.substring(colon + 1));
        }
    }

    /** Whether a Host header value names {@code host} and {@code port} (no port: 80 or 443). */
    private static boolean matches(String header, String host, int port) {
        Authority a = Authority.of(header);
        if (a == null || !a.name().equals(host)) {
            return false;
        }
        if (a.port() == null) {
            // no port in Host: a default port (also https before a TLS-terminating proxy on 80)
            return port == 80 || port == 443;
        }
        try {
            return Integer.parseInt(a.port()) == port;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
