package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.compile.ZoneOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * With an upstream configured, names outside every zone and unknown names in the (non-authoritative)
 * reverse zones become FORWARD (CoreDNS: {@code fallthrough in-addr.arpa ip6.arpa} then {@code forward});
 * cluster names, NXDOMAIN inside the cluster domain, zone transfers and other classes do not.
 */
class QueryEngineForwardTest {
    private final QueryEngine engine;

    QueryEngineForwardTest() {
        ZoneOptions options = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE);
        TableUpdater updater = new TableUpdater(new RecordCompiler(options), TableUpdater.newTable(options), Clock.systemUTC());
        updater.serviceChanged(headless("default", "db", List.of(port("pg", 5432)), ready("10.244.0.10", "db-0", port("pg", 5432))));
        updater.synced();
        engine = new QueryEngine(updater.table(), options, new QueryCounters(), () -> true, true);
    }

    private ByteBuf ask(String name, int type, int dclass) throws Exception {
        byte[] q = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass)).toWire();
        return engine.respond(Unpooled.wrappedBuffer(q), UnpooledByteBufAllocator.DEFAULT, false);
    }

    private int rcode(ByteBuf out) throws Exception {
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return new Message(b).getRcode();
    }

    @Test
    void outsideNames_andUnknownReverseNames_areForwarded() throws Exception {
        assertThat(ask("Example.COM.", Type.A, DClass.IN)).isSameAs(QueryEngine.FORWARD);
        assertThat(engine.questionType()).isEqualTo(Type.A);
        assertThat(new String(engine.questionName(), 0, engine.questionNameLength(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("\u0007example\u0003com\u0000");
        assertThat(ask("1.1.1.1.in-addr.arpa.", Type.PTR, DClass.IN)).isSameAs(QueryEngine.FORWARD);
    }

    @Test
    void clusterAnswers_andRefusals_areNotForwarded() throws Exception {
        assertThat(rcode(ask("db-0.db.default.svc.cluster.local.", Type.A, DClass.IN))).isEqualTo(Rcode.NOERROR);
        assertThat(rcode(ask("nope.default.svc.cluster.local.", Type.A, DClass.IN))).isEqualTo(Rcode.NXDOMAIN);
        assertThat(rcode(ask("10.0.244.10.in-addr.arpa.", Type.PTR, DClass.IN))).isEqualTo(Rcode.NOERROR);
        assertThat(rcode(ask("example.com.", Type.AXFR, DClass.IN))).isEqualTo(Rcode.REFUSED);
        assertThat(rcode(ask("version.bind.", Type.TXT, DClass.CH))).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void refuse_writesRefusedForTheLastQuery() throws Exception {
        ByteBuf q = Unpooled.wrappedBuffer(Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN)).toWire());
        assertThat(engine.respond(q, UnpooledByteBufAllocator.DEFAULT, false)).isSameAs(QueryEngine.FORWARD);
        assertThat(rcode(engine.refuse(q, UnpooledByteBufAllocator.DEFAULT, false, false))).isEqualTo(Rcode.REFUSED);
    }
}
