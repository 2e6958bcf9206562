package dev.jobs.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** An {@link Exchange} of a servlet container, mounted at the servlet's context and servlet path. */
final class ServletExchange implements Exchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        // the request URI is still encoded, unlike getPathInfo()
        String uri = request.getRequestURI();
        String mount = mount();
        return uri.startsWith(mount) ? uri.substring(mount.length()) : uri;
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String mount() {
        return request.getContextPath() + request.getServletPath();
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public InputStream requestBody() throws IOException {
        return request.getInputStream();
    }

    @Override
    public OutputStream respond(int status, long length) throws IOException {
        response.setStatus(status);
        if (length > 0) {
            response.setContentLengthLong(length);
        }
        OutputStream out = response.getOutputStream();
        if (length == 0) {
            response.flushBuffer(); // a stream: the client sees the headers now
        }
        return out;
    }
}
