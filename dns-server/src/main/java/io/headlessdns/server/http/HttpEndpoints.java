package io.headlessdns.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headlessdns.server.metrics.PrometheusText;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.table.ServedRecords;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.net.URLDecoder;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP listener, on its own single thread, never on the DNS event loops:
 * {@code /metrics} (Prometheus text format), {@code /health} (liveness: 200 while the process serves)
 * and {@code /ready} (readiness: 200 once the cluster source has synced, 503 before and during
 * shutdown), as CoreDNS's prometheus, health and ready plugins; and {@code /records[?name=N]}, a JSON
 * dump of the names served and their answers (kube-dns's {@code /cache}), for "why does my pod not
 * resolve".
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    public HttpEndpoints(InetSocketAddress bind, BooleanSupplier ready, Supplier<String> metrics, RecordTable table)
            throws IOException {
        server = HttpServer.create(bind, 64);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> {
            byte[] b = metrics.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        server.createContext("/health", ex -> reply(ex, 200, "OK\n"));
        server.createContext("/ready", ex -> {
            boolean ok = ready.getAsBoolean();
            reply(ex, ok ? 200 : 503, ok ? "OK\n" : "not ready\n");
        });
        server.createContext("/records", ex -> {
            String name = query(ex.getRequestURI().getRawQuery(), "name");
            Map<String, List<ServedRecords.Record>> dump;
            try {
                dump = ServedRecords.dump(table, name);
            } catch (IllegalArgumentException badName) {
                reply(ex, 400, badName.getMessage() + "\n");
                return;
            }
            byte[] b = json(dump).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(name != null && dump.isEmpty() ? 404 : 200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static String query(String raw, String key) {
        if (raw == null) {
            return null;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(key)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** {"names": N, "records": {"name.": [{"ttl":5,"type":"A","data":"10.0.0.1"}, ...], ...}} */
    static String json(Map<String, List<ServedRecords.Record>> dump) {
        StringBuilder sb = new StringBuilder(64 + dump.size() * 96);
        sb.append("{\"names\":").append(dump.size()).append(",\"records\":{");
        boolean firstName = true;
        for (Map.Entry<String, List<ServedRecords.Record>> e : dump.entrySet()) {
            sb.append(firstName ? "\n" : ",\n");
            firstName = false;
            string(sb, e.getKey()).append(":[");
            boolean first = true;
            for (ServedRecords.Record r : e.getValue()) {
                sb.append(first ? "" : ",");
                first = false;
                sb.append("{\"ttl\":").append(r.ttl()).append(",\"type\":");
                string(sb, r.type()).append(",\"data\":");
                string(sb, r.data()).append('}');
            }
            sb.append(']');
        }
        return sb.append("\n}}\n").toString();
    }

    private static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
