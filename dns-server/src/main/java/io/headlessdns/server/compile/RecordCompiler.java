package io.headlessdns.server.compile;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.table.NameKey;
import io.headlessdns.server.wire.RecordType;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the plain cluster model into records per owner name, following the Kubernetes DNS-Based Service
 * Discovery specification 1.1.0 (section numbers below are that document's) and, where it is silent,
 * CoreDNS's kubernetes plugin. Pure: no state, no I/O; throws IllegalArgumentException for an object
 * that cannot be served (an unparsable IP, a bad external name), naming the problem.
 */
public final class RecordCompiler {
    /** The version of the specification served at {@code dns-version.<zone>} (2.2). */
    public static final String SPEC_VERSION = "1.1.0";

    private final ZoneOptions options;
    private final byte[] zone;

    public RecordCompiler(ZoneOptions options) {
        this.options = options;
        this.zone = DnsName.fromText(options.clusterDomain());
    }

    public ZoneOptions options() {
        return options;
    }

    /** The cluster zone's apex in wire form. */
    public byte[] zone() {
        return zone.clone();
    }

    /** Records of one service (2.3 ClusterIP, 2.4 headless, 2.5 ExternalName). */
    public Map<NameKey, List<Rr>> service(ServiceView s) {
        Records out = new Records();
        byte[] base = serviceName(s.key().namespace(), s.key().name());
        switch (s.type()) {
            case EXTERNAL_NAME:
                out.add(base, new Rr(RecordType.CNAME, options.ttls().service(), null, DnsName.fromText(s.externalName())));
                break;
            case CLUSTER_IP:
                clusterIp(s, base, out);
                break;
            case HEADLESS:
                headless(s, base, out);
                break;
            default:
                throw new IllegalStateException("unknown service type " + s.type());
        }
        if (s.type() == ServiceType.CLUSTER_IP && s.key().namespace().equals("kube-system") && s.key().name().equals("kube-dns")) {
            // the NS target answers with the DNS service's own addresses, as CoreDNS does
            byte[] ns = nsName();
            for (String ip : s.clusterIPs()) {
                out.add(ns, address(IpLiteral.parse(ip), options.ttl()));
            }
        }
        return out.build();
    }

    private void clusterIp(ServiceView s, byte[] base, Records out) {
        if (s.clusterIPs().isEmpty()) {
            throw new IllegalArgumentException(s.key() + ": ClusterIP service without a cluster IP");
        }
        for (String ip : s.clusterIPs()) {
            InetAddress a = IpLiteral.parse(ip);
            out.add(base, address(a, options.ttls().service()));
            out.add(DnsName.reverse(a), ptr(base, PtrPolicy.RANK_SERVICE));
        }
        for (PortView p : s.ports()) {
            if (p.named()) {
                out.add(srvName(p, base), srv(0, 100, p.port(), base));
            }
        }
    }

    private void headless(ServiceView s, byte[] base, Records out) {
        out.expect(2 * s.endpoints().size() + 4);
        List<SrvGroup> srvs = new ArrayList<>(2);
        NameKey baseKey = NameKey.of(base);
        int podTtl = options.ttls().pod();
        int serviceTtl = options.ttls().service();
        for (EndpointView e : s.endpoints()) {
            boolean published = s.publishes(e);
            // with --publish-pod-names-before-ready a member's own name answers once it has an address;
            // the service's A/AAAA and SRV stay ready-only
            if (!published && !(options.publishPodNamesBeforeReady() && !e.terminating())) {
                continue;
            }
            String hostname = DnsName.isDns1123Label(e.hostname()) ? e.hostname() : null;
            for (String ip : e.addresses()) {
                byte[] a = IpLiteral.bytes(ip);
                byte[] member = DnsName.prepend(hostname != null ? hostname : DnsName.dashed(a), base);
                Rr podAddress = address(a, podTtl);
                out.add(NameKey.of(member), podAddress);
                out.add(DnsName.reverse(a), ptr(member, hostname != null ? PtrPolicy.RANK_HOSTNAME : PtrPolicy.RANK_ENDPOINT));
                if (!published) {
                    continue;
                }
                // the same record object at both names when the TTLs agree: the writer keeps both for as long as they are served
                out.add(baseKey, serviceTtl == podTtl ? podAddress : podAddress.withTtl(serviceTtl));
                for (PortView p : e.ports()) {
                    if (p.named()) {
                        SrvGroup.of(srvs, p).targets.add(new Srv(p, member));
                    }
                }
            }
        }
        for (SrvGroup group : srvs) {
            byte[] owner = srvName(group.port, base);
            java.util.Set<Srv> distinct = new java.util.LinkedHashSet<>(group.targets);
            int weight = Math.max(1, 100 / distinct.size());
            Rr previous = null;
            for (Srv x : distinct) {
                // members of a group nearly always share the port: one RDATA prefix for all of them
                Rr rr = previous != null && previous.fixed()[4] == (byte) (x.port.port() >> 8) && previous.fixed()[5] == (byte) x.port.port()
                        ? new Rr(RecordType.SRV, previous.ttl(), previous.fixed(), x.target)
                        : srv(0, weight, x.port.port(), x.target);
                out.add(owner, rr);
                previous = rr;
            }
        }
    }

    /** The SRV targets of one named port (protocol and name): one RRset. */
    private static final class SrvGroup {
        final PortView port;
        final List<Srv> targets = new ArrayList<>();

        private SrvGroup(PortView port) {
            this.port = port;
        }

        /** The group of a port among a service's few groups, found by a scan rather than a string key. */
        static SrvGroup of(List<SrvGroup> groups, PortView p) {
            for (SrvGroup g : groups) {
                if (g.port.name().equals(p.name()) && g.port.protocol().equals(p.protocol())) {
                    return g;
                }
            }
            SrvGroup g = new SrvGroup(p);
            groups.add(g);
            return g;
        }
    }

    /** One SRV target before weights are known; equal when port number and target are. */
    private record Srv(PortView port, byte[] target) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Srv x && x.port.port() == port.port() && java.util.Arrays.equals(x.target, target);
        }

        @Override
        public int hashCode() {
            return port.port() * 31 + NameKey.hash(target, 0, target.length);
        }
    }

    /** Pod records {@code a-b-c-d.<ns>.pod.<zone>} for a known pod (2.6); only in verified mode. */
    public Map<NameKey, List<Rr>> pod(PodView p) {
        Records out = new Records();
        if (options.podRecords() == PodRecordMode.VERIFIED) {
            for (String ip : p.ips()) {
                InetAddress a = IpLiteral.parse(ip);
                out.add(DnsName.prepend(DnsName.dashed(a), podNamespaceName(p.namespace())), address(a, options.ttls().pod()));
            }
        }
        return out.build();
    }

    /** A namespace exists as a name even without services: {@code <ns>.svc.<zone>} (and its pod subtree). */
    public Map<NameKey, List<Rr>> namespace(String namespace) {
        Records out = new Records();
        out.exists(serviceNamespaceName(namespace));
        if (options.podRecords() != PodRecordMode.DISABLED) {
            out.exists(podNamespaceName(namespace));
        }
        return out.build();
    }

    /** The zone apex: SOA and NS (4), {@code dns-version} TXT (2.2), and the name of the NS target. */
    public Map<NameKey, List<Rr>> apex(long serial) {
        Records out = new Records();
        out.add(zone, soa(serial));
        out.add(zone, new Rr(RecordType.NS, options.ttl(), null, nsName()));
        byte[] txt = SPEC_VERSION.getBytes(StandardCharsets.US_ASCII);
        byte[] rdata = new byte[txt.length + 1];
        rdata[0] = (byte) txt.length;
        System.arraycopy(txt, 0, rdata, 1, txt.length);
        out.add(DnsName.prepend("dns-version", zone), new Rr(RecordType.TXT, options.ttl(), rdata, null));
        out.exists(nsName());
        if (options.podRecords() != PodRecordMode.DISABLED) {
            out.exists(DnsName.prepend("pod", zone));
        }
        out.exists(DnsName.prepend("svc", zone));
        return out.build();
    }

    /**
     * The zone's SOA (CoreDNS's shape: {@code ns.dns.<zone> hostmaster.<zone>}, refresh 7200, retry 1800,
     * expire 86400). TTL and MINIMUM are the negative TTL, so negative answers are cached for it (RFC 2308 5).
     */
    public Rr soa(long serial) {
        byte[] mname = nsName();
        byte[] rname = DnsName.prepend("hostmaster", zone);
        ByteBuffer b = ByteBuffer.allocate(mname.length + rname.length + 20);
        b.put(mname).put(rname);
        b.putInt((int) serial).putInt(7200).putInt(1800).putInt(86400).putInt(options.negativeTtl());
        return new Rr(RecordType.SOA, options.negativeTtl(), b.array(), null);
    }

    public byte[] serviceName(String namespace, String name) {
        return DnsName.prepend(name, serviceNamespaceName(namespace));
    }

    private byte[] serviceNamespaceName(String namespace) {
        return DnsName.prepend(namespace, DnsName.prepend("svc", zone));
    }

    private byte[] podNamespaceName(String namespace) {
        return DnsName.prepend(namespace, DnsName.prepend("pod", zone));
    }

    private byte[] nsName() {
        return DnsName.prepend("ns", DnsName.prepend("dns", zone));
    }

    private static byte[] srvName(PortView p, byte[] base) {
        return DnsName.prepend("_" + p.name() + "._" + p.protocol().toLowerCase(Locale.ROOT), base);
    }

    private static Rr address(InetAddress a, int ttl) {
        return address(a.getAddress(), ttl);
    }

    /** An A or AAAA record over the address bytes (kept, not copied). */
    private static Rr address(byte[] a, int ttl) {
        return new Rr(a.length == 4 ? RecordType.A : RecordType.AAAA, ttl, a, null);
    }

    private Rr ptr(byte[] target, int rank) {
        return new Rr(RecordType.PTR, options.ttls().ptr(), null, target, rank);
    }

    private Rr srv(int priority, int weight, int port, byte[] target) {
        byte[] fixed = {(byte) (priority >> 8), (byte) priority, (byte) (weight >> 8), (byte) weight,
            (byte) (port >> 8), (byte) port};
        return new Rr(RecordType.SRV, options.ttls().srv(), fixed, target);
    }

    /** Records grouped by owner, each RRset free of duplicates (RFC 2181 5). */
    private static final class Records {
        private Map<NameKey, List<Rr>> map = new LinkedHashMap<>();

        /** Sizes the map for about {@code names} owners before the first add, so it is not rehashed as it grows. */
        void expect(int names) {
            if (map.isEmpty()) {
                map = new LinkedHashMap<>((int) (names / 0.75f) + 1);
            }
        }

        void add(byte[] owner, Rr rr) {
            add(NameKey.of(owner), rr);
        }

        void add(NameKey owner, Rr rr) {
            ((RrSet) map.computeIfAbsent(owner, k -> new RrSet())).put(rr);
        }

        void exists(byte[] owner) {
            map.computeIfAbsent(NameKey.of(owner), k -> new RrSet());
        }

        Map<NameKey, List<Rr>> build() {
            // handed to the table writer, which keeps the records, not this map
            return map;
        }
    }
}
