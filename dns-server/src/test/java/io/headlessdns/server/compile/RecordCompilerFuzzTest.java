package io.headlessdns.server.compile;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.headlessdns.server.table.NameKey;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.table.TableWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The model-to-records compiler on random ServiceViews (names, IPs and hostnames from arbitrary text):
 * {@link RecordCompiler#service} returns or throws IllegalArgumentException, nothing else; the table writer
 * accepts what it returns; and the service's name then answers with a message dnsjava can parse.
 */
class RecordCompilerFuzzTest {
    private static final ZoneOptions OPTIONS = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.VERIFIED);
    private static final String[] IPS = {"10.0.0.1", "10.244.1.2", "fd00::1", "2001:db8::ff", "0.0.0.0", "::"};
    private static final String[] NAMES = {"web", "sts-web-0", "a", "x-y", "default", "kube-system"};

    @FuzzTest(maxDuration = "150s")
    void service(FuzzedDataProvider data) throws IOException {
        ServiceView view = view(data);
        RecordCompiler compiler = new RecordCompiler(OPTIONS);
        RecordTable table = TableUpdater.newTable(OPTIONS);
        // the updater publishes the apex and the SOA of negative answers, as in the server
        TableWriter writer = new TableUpdater(compiler, table, java.time.Clock.systemUTC()).writer();
        Map<NameKey, List<Rr>> records;
        try {
            records = compiler.service(view);
        } catch (IllegalArgumentException rejected) {
            return; // a view that cannot be served (bad name or address) is refused, and says why
        }
        writer.replace(view.key(), records);
        QueryEngine engine = new QueryEngine(table, OPTIONS, new QueryCounters(), () -> true);
        Name name;
        try {
            name = Name.fromString(view.key().name() + "." + view.key().namespace() + ".svc.cluster.local.");
        } catch (TextParseException notAName) {
            return;
        }
        for (int type : new int[] {Type.A, Type.AAAA, Type.SRV, Type.ANY, Type.CNAME}) {
            ByteBuf q = Unpooled.wrappedBuffer(Message.newQuery(Record.newRecord(name, type, DClass.IN)).toWire());
            ByteBuf r = engine.respond(q, UnpooledByteBufAllocator.DEFAULT, true);
            try {
                r.skipBytes(2);
                byte[] bytes = new byte[r.readableBytes()];
                r.readBytes(bytes);
                try {
                    new Message(bytes);
                } catch (IOException e) {
                    throw new AssertionError("unparseable answer to " + Type.string(type) + " for " + view + ": "
                            + io.netty.buffer.ByteBufUtil.hexDump(bytes), e);
                }
            } finally {
                r.release();
            }
        }
        writer.replace(view.key(), Map.of());
    }

    private static ServiceView view(FuzzedDataProvider data) {
        ServiceType type = data.pickValue(ServiceType.values());
        ServiceKey key = new ServiceKey(text(data, NAMES), text(data, NAMES));
        List<String> ips = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            ips.add(text(data, IPS));
        }
        String external = type == ServiceType.EXTERNAL_NAME ? nonEmpty(data.consumeString(80)) : null;
        List<PortView> ports = ports(data);
        List<EndpointView> endpoints = new ArrayList<>();
        for (int i = data.consumeInt(0, 12); i > 0; i--) {
            List<String> addresses = new ArrayList<>();
            for (int j = data.consumeInt(0, 2); j > 0; j--) {
                addresses.add(text(data, IPS));
            }
            String hostname = data.consumeBoolean() ? text(data, NAMES) : null;
            endpoints.add(new EndpointView(addresses, hostname, data.consumeBoolean(), data.consumeBoolean(),
                    data.consumeBoolean(), data.consumeBoolean() ? text(data, NAMES) : null, ports(data)));
        }
        return new ServiceView(key, type, ips, external, data.consumeBoolean(), ports, endpoints, null, data.consumeBoolean());
    }

    private static List<PortView> ports(FuzzedDataProvider data) {
        List<PortView> ports = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            ports.add(new PortView(data.consumeBoolean() ? text(data, NAMES) : "", data.consumeInt(0, 65535),
                    data.pickValue(new String[] {"TCP", "UDP", "SCTP", "tcp", ""})));
        }
        return ports;
    }

    /** Mostly plausible values, sometimes arbitrary text, so both the happy and the rejecting paths run. */
    private static String text(FuzzedDataProvider data, String[] plausible) {
        return data.consumeBoolean() ? data.pickValue(plausible) : data.consumeString(70);
    }

    private static String nonEmpty(String s) {
        return s.isEmpty() ? "example.com" : s;
    }
}
