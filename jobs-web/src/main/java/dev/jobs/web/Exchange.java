package dev.jobs.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One request and its response, as the API sees it, whatever server carries it: the JDK's
 * {@code HttpServer} ({@link JdkExchange}) or a servlet container ({@link ServletExchange}).
 */
interface Exchange {
    String method();

    /**
     * The request's path below the point where the API is mounted, still percent-encoded:
     * {@code /api/jobs} for {@code /jobs/api/jobs} under a servlet mapped to {@code /jobs/*}; empty
     * for a request to the mount point itself without its slash.
     */
    String path();

    /** The raw query string, or null. */
    String rawQuery();

    /** The first value of a request header, or null. */
    String header(String name);

    /** The path prefix of the mount point, without a trailing slash: empty when served at the root. */
    String mount();

    void setHeader(String name, String value);

    InputStream requestBody() throws IOException;

    /**
     * Sends the status line and the headers set so far, and returns the body's stream.
     *
     * @param length the body's length, 0 for a body of unknown length (streamed), -1 for none
     */
    OutputStream respond(int status, long length) throws IOException;

    /** Ends the exchange (the JDK server's needs it; a servlet's response ends with the call). */
    default void close() {}
}
