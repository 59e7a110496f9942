package io.headlessdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Which address family the UDP sockets get: an IPv4 socket for a specific IPv4 address (the kernel's
 * IPv4 path per datagram), the dual-stack IPv6 socket for the wildcard (IPv6 clients are answered too).
 * Read from the sockets the kernel lists, not from our own choice. No traffic is sent.
 */
class SocketFamilyTest {
    @Test
    void specificIpv4Address_getsIpv4Sockets() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "epoll only: NIO opens what the JDK chooses");
        try (DnsServer server = started("127.0.0.1")) {
            List<SocketAddress> udp = server.udpAddresses();
            assertThat(udp).hasSize(2).allSatisfy(a -> assertThat(((InetSocketAddress) a).getAddress()).isInstanceOf(Inet4Address.class));
            assertThat(kernelUdpSockets(server.port(), "/proc/net/udp")).isEqualTo(2);
            assertThat(kernelUdpSockets(server.port(), "/proc/net/udp6")).isZero();
        }
    }

    @Test
    void wildcard_staysDualStack() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "epoll only: NIO opens what the JDK chooses");
        try (DnsServer server = started("0.0.0.0")) {
            assertThat(server.udpAddresses()).hasSize(2)
                    .allSatisfy(a -> assertThat(((InetSocketAddress) a).getAddress()).isInstanceOf(Inet6Address.class));
            assertThat(kernelUdpSockets(server.port(), "/proc/net/udp6")).isEqualTo(2);
        }
    }

    private static DnsServer started(String bind) throws Exception {
        DnsServer server = new DnsServer(new InetSocketAddress(InetAddress.getByName(bind), 0), 2, TestEngines.cluster());
        server.start();
        return server;
    }

    /** Sockets bound to {@code port} in one of the kernel's UDP tables (local address is the 2nd column, port in hex). */
    private static long kernelUdpSockets(int port, String table) throws Exception {
        String hexPort = String.format(":%04X", port);
        return Files.readAllLines(Path.of(table)).stream().skip(1)
                .map(l -> l.trim().split("\\s+")[1])
                .filter(local -> local.endsWith(hexPort))
                .count();
    }
}
