package io.headlessdns.server.table;

import static io.headlessdns.server.Fixtures.clusterIp;
import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.PtrPolicy;
import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.wire.RecordType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The table writer's bookkeeping: names shared by several contributors, empty non-terminals, glue that
 * follows its targets, and names that stay served while their records change. Read back through what the
 * table serves ({@link ServedRecords}), as clients see it.
 */
class TableWriterTest {
    private static final ZoneOptions ALL = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE);
    private static final ZoneOptions HOSTNAME_FIRST = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE,
            ZoneOptions.RecordTtls.all(5), PtrPolicy.HOSTNAME_FIRST, false);
    private static final String REVERSE = "10.0.0.10.in-addr.arpa.";

    private static TableUpdater updater(ZoneOptions options) {
        return new TableUpdater(new RecordCompiler(options), TableUpdater.newTable(options), Clock.systemUTC());
    }

    private static List<String> served(TableUpdater u, String name) {
        List<ServedRecords.Record> records = ServedRecords.dump(u.table(), name).get(name);
        return records == null ? null : records.stream().map(r -> r.type() + " " + r.data()).toList();
    }

    /** kubernetes/kubernetes#127716: one IP behind two services; its PTR RRset is the union, then shrinks back. */
    @Test
    void sharedReverseName_isTheUnionOfItsContributors_andShrinksAsTheyLeave() {
        TableUpdater u = updater(ALL);
        u.serviceChanged(clusterIp("ns", "a", List.of("10.0.0.10")));
        u.serviceChanged(clusterIp("ns", "b", List.of("10.0.0.10")));
        assertThat(served(u, REVERSE)).containsExactly("PTR a.ns.svc.cluster.local.", "PTR b.ns.svc.cluster.local.");
        assertThat(u.writer().recordsAt(NameKey.ofText(REVERSE)).get(RecordType.PTR)).hasSize(2);

        u.serviceRemoved(new ServiceKey("ns", "a"));
        assertThat(served(u, REVERSE)).containsExactly("PTR b.ns.svc.cluster.local.");
        u.serviceChanged(clusterIp("ns", "b", List.of("10.0.0.11")));
        assertThat(served(u, REVERSE)).isNull();
        assertThat(u.writer().recordsAt(NameKey.ofText(REVERSE))).isEmpty();
    }

    /** --ptr-policy hostname-first: a StatefulSet pod's own name wins over the ClusterIP service at the same IP. */
    @Test
    void hostnameFirst_servesOnePtr_preferringThePodsHostname() {
        TableUpdater u = updater(HOSTNAME_FIRST);
        u.serviceChanged(clusterIp("ns", "front", List.of("10.0.0.10")));
        u.serviceChanged(headless("ns", "web", List.of(), ready("10.0.0.10", "web-0")));
        assertThat(served(u, REVERSE)).containsExactly("PTR web-0.web.ns.svc.cluster.local.");
        u.serviceRemoved(new ServiceKey("ns", "web"));
        assertThat(served(u, REVERSE)).containsExactly("PTR front.ns.svc.cluster.local.");
    }

    /** RFC 8020: a name with names below it exists (NODATA); it goes when the last name below it goes. */
    @Test
    void emptyNonTerminal_existsWhileANameBelowItDoes() {
        TableUpdater u = updater(ALL);
        u.serviceChanged(headless("team", "web", List.of(), ready("10.0.0.10", "web-0")));
        assertThat(served(u, "team.svc.cluster.local.")).isEmpty();
        assertThat(served(u, "web.team.svc.cluster.local.")).containsExactly("A 10.0.0.10");

        u.serviceRemoved(new ServiceKey("team", "web"));
        assertThat(served(u, "web-0.web.team.svc.cluster.local.")).isNull();
        assertThat(served(u, "team.svc.cluster.local.")).isNull();
        assertThat(served(u, "svc.cluster.local.")).isEmpty(); // the apex contributes it
    }

    /**
     * RFC 8020 against a model: after every change of a random sequence, a name of the zone is served
     * (as records or as an empty non-terminal) exactly when some contributed name lies at or below it.
     * Contributors add and drop names at several depths, so ENTs appear, stay and go in every order.
     */
    @Test
    void namesServed_areExactlyTheContributedNamesAndTheirAncestors_throughRandomChanges() {
        RecordTable table = new RecordTable(List.of(new Zone(io.headlessdns.server.name.DnsName.fromText("z.test"), true)));
        TableWriter writer = new TableWriter(table, PtrPolicy.ALL);
        List<String> universe = new java.util.ArrayList<>();
        for (String a : new String[] {"a", "b", "c"}) {
            universe.add(a + ".z.test");
            for (String b : new String[] {"a", "b", "c"}) {
                universe.add(b + "." + a + ".z.test");
                for (String c : new String[] {"a", "b", "c"}) {
                    universe.add(c + "." + b + "." + a + ".z.test");
                }
            }
        }
        java.util.Random random = new java.util.Random(8020);
        Map<Integer, java.util.Set<String>> contributed = new java.util.HashMap<>();
        Rr a = new Rr(RecordType.A, 5, new byte[] {10, 0, 0, 1}, null);
        for (int step = 0; step < 3000; step++) {
            int who = random.nextInt(4);
            java.util.Set<String> names = new java.util.HashSet<>();
            int n = random.nextInt(4); // zero removes the contributor
            for (int i = 0; i < n; i++) {
                names.add(universe.get(random.nextInt(universe.size())));
            }
            Map<NameKey, List<Rr>> records = new java.util.LinkedHashMap<>();
            names.forEach(name -> records.put(NameKey.ofText(name), List.of(a)));
            writer.replace("contributor " + who, records);
            contributed.put(who, names);
            for (String name : universe) {
                boolean expected = contributed.values().stream().flatMap(java.util.Set::stream)
                        .anyMatch(c -> c.equals(name) || c.endsWith("." + name));
                assertThat(table.lookup(NameKey.ofText(name)) != null)
                        .as("step %d: %s served", step, name).isEqualTo(expected);
            }
        }
    }

    /** RFC 2782: SRV targets' addresses ride in the additional section, and follow a target that moves. */
    @Test
    void srvGlue_followsItsTargetsAddress_whenTheSrvRecordsStayTheSame() {
        TableUpdater u = updater(ALL);
        u.serviceChanged(headless("ns", "web", List.of(port("http", 80)), ready("10.0.0.10", "web-0", port("http", 80))));
        u.serviceChanged(headless("ns", "web", List.of(port("http", 80)), ready("10.0.0.20", "web-0", port("http", 80))));
        EncodedAnswer srv = u.table().lookup(NameKey.ofText("_http._tcp.web.ns.svc.cluster.local")).answer(RecordType.SRV);
        assertThat(srv.answerCount()).isEqualTo(1);
        assertThat(srv.additionalCount()).isEqualTo(1);
        byte[] data = srv.data();
        assertThat(new byte[] {data[data.length - 4], data[data.length - 3], data[data.length - 2], data[data.length - 1]})
                .containsExactly(10, 0, 0, 20);
    }

    /** A name served before and after a change is overwritten in place: the same key, a new node. */
    @Test
    void nameThatStays_isOverwritten_andNamesThatGoAreRemoved() {
        TableUpdater u = updater(ALL);
        u.serviceChanged(headless("ns", "web", List.of(), ready("10.0.0.10", "web-0"), ready("10.0.0.11", "web-1")));
        NameKey base = NameKey.ofText("web.ns.svc.cluster.local");
        Node before = u.table().lookup(base);
        u.serviceChanged(headless("ns", "web", List.of(), ready("10.0.0.12", "web-0")));
        assertThat(u.table().lookup(base)).isNotNull().isNotSameAs(before);
        assertThat(served(u, "web.ns.svc.cluster.local.")).containsExactly("A 10.0.0.12");
        assertThat(served(u, "web-1.web.ns.svc.cluster.local.")).isNull();
        assertThat(served(u, "11.0.0.10.in-addr.arpa.")).isNull();
        assertThat(served(u, "12.0.0.10.in-addr.arpa.")).containsExactly("PTR web-0.web.ns.svc.cluster.local.");
    }

    /**
     * Names whose records did not change keep their published node when one endpoint changes, though the
     * writer keeps only their encoded answers (it compares the new records with those), and names that
     * changed are re-encoded.
     */
    @Test
    void oneEndpointChange_republishesOnlyItsNames_comparingWithTheEncodedAnswers() {
        TableUpdater u = updater(ALL);
        u.serviceChanged(headless("ns", "web", List.of(port("http", 80)),
                ready("10.0.0.10", "web-0", port("http", 80)), ready("10.0.0.11", "web-1", port("http", 80))));
        Node member = u.table().lookup(NameKey.ofText("web-0.web.ns.svc.cluster.local"));
        Node ptr = u.table().lookup(NameKey.ofText(REVERSE));
        Node srv = u.table().lookup(NameKey.ofText("_http._tcp.web.ns.svc.cluster.local"));
        u.serviceChanged(headless("ns", "web", List.of(port("http", 80)),
                ready("10.0.0.10", "web-0", port("http", 80)), ready("10.0.0.12", "web-1", port("http", 80))));
        assertThat(u.table().lookup(NameKey.ofText("web-0.web.ns.svc.cluster.local"))).isSameAs(member);
        assertThat(u.table().lookup(NameKey.ofText(REVERSE))).isSameAs(ptr);
        // the SRV records stay, but their glue moved with web-1: re-encoded from the records read back
        assertThat(u.table().lookup(NameKey.ofText("_http._tcp.web.ns.svc.cluster.local"))).isNotSameAs(srv);
        assertThat(served(u, "_http._tcp.web.ns.svc.cluster.local.")).containsExactly(
                "SRV 0 50 80 web-0.web.ns.svc.cluster.local.", "SRV 0 50 80 web-1.web.ns.svc.cluster.local.");
        assertThat(served(u, "web.ns.svc.cluster.local.")).containsExactly("A 10.0.0.10", "A 10.0.0.12");
        assertThat(u.writer().recordsAt(NameKey.ofText("web-1.web.ns.svc.cluster.local")).get(RecordType.A))
                .extracting(Rr::toString).containsExactly("A 5 10.0.0.12");
    }

    /** A name outside every served zone is refused, and the writer goes on serving and accepting changes. */
    @Test
    void nameOutsideTheZones_isRejected_andTheWriterStaysUsable() {
        TableUpdater u = updater(ALL);
        Rr a = new Rr(RecordType.A, 5, new byte[] {10, 0, 0, 1}, null);
        assertThatThrownBy(() -> u.writer().replace("outsider", Map.of(NameKey.ofText("example.com"), List.of(a))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the served zones");
        u.serviceChanged(clusterIp("ns", "a", List.of("10.0.0.10")));
        assertThat(served(u, "a.ns.svc.cluster.local.")).containsExactly("A 10.0.0.10");
    }
}
