package io.headlessdns.server.config;

import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.transport.TransportLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server is started with, validated. Built by {@code Main} from the command line and by
 * tests directly.
 *
 * @param httpPort 0 picks a free port; -1 disables the HTTP listener (tests that do not need it)
 * @param limits   TCP connection limits and UDP response rate limiting
 */
public record ServerConfig(
        List<Path> manifests,
        InetAddress bind,
        int port,
        int httpPort,
        int threads,
        ZoneOptions zone,
        TransportLimits limits) {

    /** With the default {@link TransportLimits}. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone) {
        this(manifests, bind, port, httpPort, threads, zone, TransportLimits.DEFAULT);
    }

    public ServerConfig {
        manifests = List.copyOf(Objects.requireNonNull(manifests, "manifests"));
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, not " + port);
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be 0..65535, not " + httpPort);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
    }
}
