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
        int port = FreePort.udpAndTcp();
        server = new HeadlessDns(adjust.apply(new ServerConfig(manifests, InetAddress.getLoopbackAddress(), port, 0, 2, zone,
                true, java.time.Duration.ZERO, 0, ForwardOptions.NONE, KubeOptions.inCluster(), limits)));
        server.start();
        dig = new Dig(server.dnsPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
