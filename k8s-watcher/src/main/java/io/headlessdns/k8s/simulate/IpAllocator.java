package io.headlessdns.k8s.simulate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out IPv4 addresses from a CIDR the way a cluster would have, but reproducibly: the address for
 * a key (e.g. {@code default/sts-web-0}) is the SHA-256 of the key folded into the range, so the same
 * files always give the same addresses. A collision probes upwards to the next free address, which
 * keeps addresses unique within one load; callers allocate in a sorted order so probing is reproducible
 * too. Addresses the files state explicitly are {@link #reserve reserved} first.
 */
public final class IpAllocator {

    /** The default Service CIDR of kubeadm and kind. */
    public static final String SERVICE_CIDR = "10.96.0.0/12";
    /** The default pod CIDR of flannel and kind. */
    public static final String POD_CIDR = "10.244.0.0/16";

    private final int base;
    private final int size;
    private final Set<Integer> used = new HashSet<>();

    public IpAllocator(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("CIDR prefix must be /8 to /30: " + cidr);
        }
        Integer network = parse(cidr.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        this.size = 1 << (32 - prefix);
        this.base = network & -size;
    }

    /** A Service CIDR allocator that keeps {@code .1} (the kubernetes service) and {@code .10} (DNS) free. */
    public static IpAllocator forServices() {
        IpAllocator a = new IpAllocator(SERVICE_CIDR);
        a.reserve("10.96.0.1");
        a.reserve("10.96.0.10");
        return a;
    }

    public static IpAllocator forPods() {
        return new IpAllocator(POD_CIDR);
    }

    /** Marks an address as taken; addresses outside the range or not IPv4 are ignored. */
    public void reserve(String ip) {
        Integer v = parse(ip);
        if (v != null && (v & -size) == base) {
            used.add(v - base);
        }
    }

    /** The address for {@code key}: stable for the same key and the same earlier reservations. */
    public String allocate(String key) {
        // offsets 0 and size-1 are the network and broadcast addresses
        int usable = size - 2;
        int start = Math.floorMod(hash(key), usable);
        for (int i = 0; i < usable; i++) {
            int offset = 1 + (start + i) % usable;
            if (used.add(offset)) {
                return format(base + offset);
            }
        }
        throw new IllegalStateException("no free address left for " + key);
    }

    private static int hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Integer parse(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return null;
            }
            v = v << 8 | octet;
        }
        return v;
    }

    private static String format(int v) {
        return (v >>> 24) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }
}
