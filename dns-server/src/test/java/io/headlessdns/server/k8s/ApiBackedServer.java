package io.headlessdns.server.k8s;

import io.headlessdns.k8s.informer.InformerScope;
import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.KubeOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.e2e.Dig;
import io.headlessdns.server.e2e.FreePort;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real server, in process on free ports of 127.0.0.1, watching a {@link MockApi} through a kubeconfig. */
public final class ApiBackedServer implements AutoCloseable {
    public final HeadlessDns server;
    public final Dig dig;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ApiBackedServer(Path kubeconfig, PodRecordMode pods, Duration startupTimeout) throws Exception {
        this(kubeconfig, pods, startupTimeout, c -> c);
    }

    /** @param adjust changes the configuration before the server starts (a flag under test) */
    public ApiBackedServer(Path kubeconfig, PodRecordMode pods, Duration startupTimeout,
            java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        server = new HeadlessDns(adjust.apply(new ServerConfig(List.of(), InetAddress.getLoopbackAddress(), FreePort.udpAndTcp(), 0, 2,
                new ZoneOptions("cluster.local", 5, 5, pods),
                new KubeOptions(kubeconfig, null, InformerScope.everything(), startupTimeout))));
        server.start();
        dig = new Dig(server.dnsPort());
    }

    /** The HTTP status of {@code GET path} on the server's HTTP port. */
    public int httpStatus(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public String metrics() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        server.close();
    }
}
