package io.headlessdns.server.k8s;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's KubernetesMockServer in CRUD mode on a fixed port of 127.0.0.1, with what the tests need on top:
 * it can be stopped and started again on the same port keeping its objects (an API server restart; etcd
 * keeps the data), it records every request (method and path), counts list requests, and can expire every
 * open watch with a 410 Gone ERROR event, as an API server does when a resource version is too old.
 */
public final class MockApi implements AutoCloseable {
    private final Api dispatcher = new Api();
    private final int port;
    private KubernetesMockServer server;

    public MockApi(int port) {
        this.port = port;
    }

    /** Starts (or restarts) the API on its port, with the objects it held before. */
    public synchronized MockApi start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new java.util.HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        return this;
    }

    /** Stops the API: connections are refused until {@link #start} is called again. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /**
     * A second API server on another port, sharing this one's objects (another replica in front of the
     * same etcd): changes made through it while this one is stopped are what a restarted API must show.
     */
    public KubernetesMockServer replica() {
        KubernetesMockServer replica = new KubernetesMockServer(new Context(), new MockWebServer(), new java.util.HashMap<>(),
                dispatcher, false);
        replica.init(InetAddress.getLoopbackAddress(), 0);
        return replica;
    }

    public synchronized NamespacedKubernetesClient client() {
        return server.createClient();
    }

    public int port() {
        return port;
    }

    /** A kubeconfig file pointing at this API, for {@code --kubeconfig}. */
    public Path kubeconfig(Path dir) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: not-checked
                """.formatted(port));
        return file;
    }

    /** Every request received so far, as {@code METHOD path?query}. */
    public List<String> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /** List (not watch) requests served so far: the number of lists and relists. */
    public int lists() {
        return dispatcher.lists.get();
    }

    /** Sends a 410 Gone ERROR event on every open watch; returns how many watches were expired. */
    public int expireWatches() {
        int n = 0;
        for (WebSocket ws : dispatcher.open) {
            if (ws.send("{\"type\":\"ERROR\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
                    + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}")) {
                n++;
            }
        }
        return n;
    }

    /** Closes every open watch normally (code 1000), as an API server does when its watch timeout ends. */
    public int closeWatches() {
        int n = 0;
        for (WebSocket ws : dispatcher.open) {
            if (ws.close(1000, "watch closed by the API server")) {
                n++;
            }
        }
        return n;
    }

    /** Sends {@code text} as one watch event on every open watch whose path contains {@code pathPart}. */
    public int sendOnWatches(String pathPart, String text) {
        int n = 0;
        for (WebSocket ws : dispatcher.open) {
            if (ws.request().getPath().contains(pathPart) && ws.send(text)) {
                n++;
            }
        }
        return n;
    }

    /**
     * From now on, answers requests for {@code resource} (a path segment such as {@code endpointslices}) with
     * 403 Forbidden and the Status an API server sends when RBAC denies the verb; null lifts it.
     */
    public void forbid(String resource) {
        dispatcher.forbidden = resource;
    }

    public int openWatches() {
        return dispatcher.open.size();
    }

    @Override
    public void close() {
        stop();
    }

    private static final class Api extends KubernetesCrudDispatcher {
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger lists = new AtomicInteger();
        final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
        volatile String forbidden;

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request.getMethod() + " " + request.getPath());
            String f = forbidden;
            if (f != null && request.getPath().contains("/" + f)) {
                String verb = request.getPath().contains("watch=true") ? "watch" : "list";
                return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json").setBody(
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + f
                        + " is forbidden: User \\\"system:serviceaccount:kube-system:headless-dns\\\" cannot " + verb
                        + " resource \\\"" + f + "\\\" at the cluster scope\",\"reason\":\"Forbidden\",\"code\":403}");
            }
            if ("GET".equals(request.getMethod()) && !request.getPath().contains("watch=true")) {
                lists.incrementAndGet();
            }
            return super.dispatch(request);
        }

        @Override
        public MockResponse handleWatch(String path) {
            MockResponse response = super.handleWatch(path);
            WebSocketListener crud = response.getWebSocketListener();
            if (crud != null) {
                response.withWebSocketUpgrade(new Tracking(crud, open));
            }
            return response;
        }
    }

    /** Delegates to the CRUD watch listener and remembers the socket while it is open. */
    private static final class Tracking extends WebSocketListener {
        private final WebSocketListener d;
        private final Set<WebSocket> open;

        Tracking(WebSocketListener d, Set<WebSocket> open) {
            this.d = d;
            this.open = open;
        }

        @Override
        public void onBeforeAccept(WebSocket ws, Response r) {
            d.onBeforeAccept(ws, r);
        }

        @Override
        public void onOpen(WebSocket ws, Response r) {
            open.add(ws);
            d.onOpen(ws, r);
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            d.onMessage(ws, text);
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            d.onMessage(ws, bytes);
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            d.onMessage(ws, bytes);
        }

        @Override
        public void onPing(WebSocket ws, byte[] bytes) {
            d.onPing(ws, bytes);
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            open.remove(ws);
            d.onClosing(ws, code, reason);
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            open.remove(ws);
            d.onClosed(ws, code, reason);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response r) {
            open.remove(ws);
            d.onFailure(ws, t, r);
        }
    }
}
