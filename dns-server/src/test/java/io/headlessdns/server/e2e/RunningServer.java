package io.headlessdns.server.e2e;

import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.KubeOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.forward.ForwardOptions;
import io.headlessdns.server.transport.TransportLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** The real server, in process, on a free port of 127.0.0.1, serving manifests. */
public final class RunningServer implements AutoCloseable {
    public final HeadlessDns server;
    public final Dig dig;

    public RunningServer(List<Path> manifests, PodRecordMode pods) throws Exception {
        this(manifests, new ZoneOptions("cluster.local", 5, 5, pods));
    }

    public RunningServer(List<Path> manifests, ZoneOptions zone) throws Exception {
        this(manifests, zone, TransportLimits.DEFAULT);
    }

    public RunningServer(List<Path> manifests, PodRecordMode pods, TransportLimits limits) throws Exception {
        this(manifests, new ZoneOptions("cluster.local", 5, 5, pods), limits);
    }

    public RunningServer(List<Path> manifests, ZoneOptions zone, TransportLimits limits) throws Exception {
        this(manifests, zone, limits, c -> c);
    }

    /** @param adjust changes the configuration before the server starts (a flag under test) */
    public RunningServer(List<Path> manifests, ZoneOptions zone, java.util.function.UnaryOperator<ServerConfig> adjust)
            throws Exception {
        this(manifests, zone, TransportLimits.DEFAULT, adjust);
    }

    private RunningServer(List<Path> manifests, ZoneOptions zone, TransportLimits limits,
            java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        server = started(manifests, zone, limits, adjust);
        dig = new Dig(server.dnsPort());
    }

    /**
     * A started server on a free port. The port is free when asked for but can be taken before the
     * server binds it (another test's client socket gets an ephemeral port from the same range): then
     * it tries another, a few times.
     */
    private static HeadlessDns started(List<Path> manifests, ZoneOptions zone, TransportLimits limits,
            java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        for (int attempt = 1; ; attempt++) {
            HeadlessDns candidate = new HeadlessDns(adjust.apply(new ServerConfig(manifests, InetAddress.getLoopbackAddress(),
                    FreePort.udpAndTcp(), 0, 2, zone, true, java.time.Duration.ZERO, 0, ForwardOptions.NONE,
                    KubeOptions.inCluster(), limits)));
            try {
                candidate.start();
                return candidate;
            } catch (Exception e) {
                candidate.close();
                if (attempt == 5 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
