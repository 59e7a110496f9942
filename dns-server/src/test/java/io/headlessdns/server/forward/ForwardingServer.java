package io.headlessdns.server.forward;

import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.e2e.Dig;
import io.headlessdns.server.e2e.FreePort;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** The real server on a free port of 127.0.0.1, serving the StatefulSet example and forwarding the rest. */
final class ForwardingServer implements AutoCloseable {
    static final Path EXAMPLE = Path.of("..", "deploy", "examples", "statefulset.yaml");

    final HeadlessDns server;
    final Dig dig;

    ForwardingServer(ForwardOptions forward) throws Exception {
        int port = FreePort.udpAndTcp();
        server = new HeadlessDns(new ServerConfig(List.of(EXAMPLE), InetAddress.getLoopbackAddress(), port, -1, 2,
                new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE), forward));
        server.start();
        dig = new Dig(server.dnsPort());
    }

    Forwarder forwarder() {
        return server.forwarder();
    }

    /** The sum of the Prometheus samples of {@code name} whose labels contain every one of {@code labels}. */
    double metric(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : server.registry().scrape().split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no metric " + name + " " + String.join(",", labels) + " in\n" + server.registry().scrape());
        }
        return sum;
    }

    @Override
    public void close() {
        server.close();
    }
}
