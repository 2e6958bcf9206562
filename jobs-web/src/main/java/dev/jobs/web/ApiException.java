package dev.jobs.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/** An error answered as an RFC 9457 problem document; its message is the problem's detail. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String title;
    final transient ArrayNode errors;
    final transient Map<String, String> headers;

    ApiException(int status, String title, String detail) {
        this(status, title, detail, null, Map.of());
    }

    ApiException(int status, String title, String detail, ArrayNode errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.headers = headers;
    }
}
