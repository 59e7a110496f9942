package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.manifest.ManifestSource;
import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.ClusterSource;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * /ready across a server's life, as CoreDNS's ready and health (lameduck) plugins behave: 503 until the
 * cluster source has synced (while DNS answers SERVFAIL for cluster names), 200 after, 503 again as soon
 * as a shutdown starts, while DNS keeps answering through the lame-duck period.
 */
class ReadinessTest {
    private static final String POD0 = "sts-web-0.svc-sts-nginx.default.svc.cluster.local";

    @Test
    void ready_is503BeforeSync_200After_503DuringLameDuck_whileDnsStillAnswers() throws Exception {
        int port = FreePort.udpAndTcp();
        ServerConfig config = new ServerConfig(List.of(Path.of("..", "deploy", "examples")),
                InetAddress.getLoopbackAddress(), port, 0, 1, new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE),
                true, Duration.ofSeconds(3), 0);
        HeadlessDns server = new HeadlessDns(config, c -> new WithheldSync(new ManifestSource(c.manifests())));
        try {
            server.start();
            Dig dig = new Dig(server.dnsPort());
            int http = server.httpPort();
            assertThat(Http.get(http, "/ready").statusCode()).isEqualTo(503);
            assertThat(Http.get(http, "/health").statusCode()).isEqualTo(200);
            assertThat(dig.status(POD0)).isEqualTo("SERVFAIL"); // not synced: no answer is better than a wrong one

            server.updater().synced();
            assertThat(Http.get(http, "/ready").statusCode()).isEqualTo(200);
            assertThat(dig.status(POD0)).isEqualTo("NOERROR");

            long started = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
                try {
                    server.shutdown(config.lameduck());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                    .until(() -> Http.get(http, "/ready").statusCode() == 503);
            assertThat(dig.shortAnswer(POD0)).hasSize(1); // lame duck: still answering
            assertThat(dig.shortAnswer("+tcp", POD0)).hasSize(1);
            assertThat(System.nanoTime() - started).isLessThan(Duration.ofSeconds(3).toNanos());
            shutdown.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofSeconds(3).toNanos());
        } finally {
            server.close();
        }
    }

    /** A source whose initial sync the test completes by hand, to observe the time before it. */
    private static final class WithheldSync implements ClusterSource {
        private final ClusterSource delegate;

        WithheldSync(ClusterSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(ClusterListener listener) throws Exception {
            delegate.start(new ClusterListener() {
                @Override
                public void serviceChanged(ServiceView service) {
                    listener.serviceChanged(service);
                }

                @Override
                public void serviceRemoved(ServiceKey key) {
                    listener.serviceRemoved(key);
                }

                @Override
                public void podChanged(PodView pod) {
                    listener.podChanged(pod);
                }

                @Override
                public void podRemoved(String namespace, String name) {
                    listener.podRemoved(namespace, name);
                }

                @Override
                public void namespaceChanged(String namespace, boolean exists) {
                    listener.namespaceChanged(namespace, exists);
                }

                @Override
                public void synced() {
                    // withheld: the test calls the updater's synced() itself
                }
            });
        }

        @Override
        public String describe() {
            return "withheld-sync " + delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
