package io.headlessdns.server.forward;

import java.net.InetAddress;
import java.util.List;

/**
 * The clients that may use the forwarder ({@code --allow-cidr}). Everyone else gets REFUSED for names
 * outside the cluster, so the server is never an open resolver; cluster answers are not affected.
 */
public final class AccessList {
    /** Private, shared, loopback and link-local space: where pods and nodes live. */
    public static final List<String> DEFAULT = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "127.0.0.0/8", "fc00::/7", "::1/128", "fe80::/10");

    private final Cidr[] blocks;

    public AccessList(List<Cidr> blocks) {
        this.blocks = blocks.toArray(new Cidr[0]);
    }

    public static AccessList parse(List<String> blocks) {
        return new AccessList(blocks.stream().map(Cidr::parse).toList());
    }

    public boolean allows(InetAddress client) {
        for (Cidr c : blocks) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    public List<Cidr> blocks() {
        return List.of(blocks);
    }
}
