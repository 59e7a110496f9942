package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --upstream} and {@code --stub-domain} targets; resolv.conf read as resolv.conf(5) says glibc reads it. */
class UpstreamAddressTest {

    @Test
    void addressForms() throws IOException {
        assertThat(UpstreamAddress.parse("8.8.8.8")).containsExactly(new InetSocketAddress("8.8.8.8", 53));
        assertThat(UpstreamAddress.parse("10.0.0.1:5353")).containsExactly(new InetSocketAddress("10.0.0.1", 5353));
        assertThat(UpstreamAddress.parse("[2001:db8::1]:5353")).containsExactly(new InetSocketAddress("2001:db8::1", 5353));
        assertThat(UpstreamAddress.parse("2001:db8::1")).containsExactly(new InetSocketAddress("2001:db8::1", 53));
        assertThat(UpstreamAddress.label(new InetSocketAddress("2001:db8::1", 53))).isEqualTo("[2001:db8:0:0:0:0:0:1]:53");
    }

    @Test
    void namesAndBadPortsAreRejected() {
        assertThatThrownBy(() -> UpstreamAddress.parse("dns.google")).hasMessageContaining("must be an IP address");
        assertThatThrownBy(() -> UpstreamAddress.parse("1.2.3.4:0")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> UpstreamAddress.parse("1.2.3.4:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> UpstreamAddress.parse("[::1")).hasMessageContaining("]");
        assertThatThrownBy(() -> UpstreamAddress.parse("/no/such/resolv.conf")).hasMessageContaining("no such resolv.conf");
    }

    @Test
    void resolvConf_firstThreeNameservers_optionsAndCommentsIgnored(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, """
                # generated
                search default.svc.cluster.local svc.cluster.local
                options ndots:5 timeout:1 attempts:2
                nameserver 10.0.0.1
                ; comment
                nameserver   fd00::53
                nameserver 10.0.0.3
                nameserver 10.0.0.4
                """);
        assertThat(UpstreamAddress.parse(f.toString())).containsExactly(new InetSocketAddress("10.0.0.1", 53),
                new InetSocketAddress("fd00::53", 53), new InetSocketAddress("10.0.0.3", 53));
    }

    @Test
    void resolvConf_withoutNameserver_isAnError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "search example.com\n");
        assertThatThrownBy(() -> UpstreamAddress.parse(f.toString())).hasMessageContaining("no nameserver");
        Files.writeString(f, "nameserver dns.example.com\n");
        assertThatThrownBy(() -> UpstreamAddress.parse(f.toString())).hasMessageContaining(":1: nameserver is not an IP address");
    }

    @Test
    void cidrMatching() {
        AccessList allow = AccessList.parse(AccessList.DEFAULT);
        assertThat(allow.allows(addr("10.244.3.7"))).isTrue();
        assertThat(allow.allows(addr("172.31.255.255"))).isTrue();
        assertThat(allow.allows(addr("172.32.0.1"))).isFalse();
        assertThat(allow.allows(addr("100.64.0.1"))).isTrue();
        assertThat(allow.allows(addr("8.8.8.8"))).isFalse();
        assertThat(allow.allows(addr("fd12::1"))).isTrue();
        assertThat(allow.allows(addr("::1"))).isTrue();
        assertThat(allow.allows(addr("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(Cidr.parse("0.0.0.0/0").contains(addr("1.2.3.4"))).isTrue();
        assertThat(Cidr.parse("192.168.1.128/25").contains(addr("192.168.1.127"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("not an address block");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    }

    private static java.net.InetAddress addr(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
