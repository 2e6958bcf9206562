package dev.jobs.runtime.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1 (a real HTTP/1.1 server on a free port, on plain sockets:
 * the tests compile inside the runtime's module, which does not read {@code jdk.httpserver}).
 * Records each request and answers with the next of the statuses it was given, then 200, closing
 * the connection after each answer.
 */
final class Receiver implements AutoCloseable {

    /** One request as received: its path, headers (first value of each) and body bytes. */
    record Request(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Request> arrived = new LinkedBlockingQueue<>();
    private final List<Request> all = new CopyOnWriteArrayList<>();

    private Receiver(Integer... statuses) throws IOException {
        this.statuses.addAll(List.of(statuses));
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "test-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A receiver answering the first requests with {@code statuses}, then 200. */
    static Receiver start(Integer... statuses) throws IOException {
        return new Receiver(statuses);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "test-receiver-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = socket.getInputStream()) {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.putIfAbsent(
                        h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            String length = headers.get("Content-Length");
            byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
            String path = URI.create(requestLine.split(" ")[1]).getPath();
            Request r = new Request(path, headers, body);
            all.add(r);
            Integer status = statuses.poll();
            int code = status == null ? 200 : status;
            socket.getOutputStream()
                    .write(("HTTP/1.1 " + code + " Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            arrived.add(r);
        } catch (IOException | RuntimeException e) {
            // a broken request: the client sees the connection close and retries
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = b.length();
                return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** The next request answered, waiting up to {@code timeout}; fails if none arrives. */
    Request next(Duration timeout) throws InterruptedException {
        Request r = arrived.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no webhook request within " + timeout + "; got " + all.size() + " before");
        }
        return r;
    }

    /** Every request answered so far. */
    List<Request> requests() {
        return new ArrayList<>(all);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
