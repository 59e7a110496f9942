package io.headlessdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The TCP pipeline on an EmbeddedChannel: framing (RFC 1035 4.2.2), timeouts and buffers (RFC 7766 6.2.3, 10). */
class TcpPipelineTest {
    private static final EngineProvider ENGINES = TestEngines.cluster();
    private static final TransportLimits LIMITS = TransportLimits.DEFAULT.withTcp(16, 4, 10_000, 3_000);

    private static EmbeddedChannel channel(ByteBufAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 1));
        DnsServer.tcpPipeline(ch.pipeline(), ENGINES, LIMITS, new LongAdder(), new LongAdder(), new Panics(), null);
        return ch;
    }

    private static byte[] framedQuery(String name, int id) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        q.getHeader().setID(id);
        byte[] m = q.toWire();
        byte[] framed = new byte[m.length + 2];
        framed[0] = (byte) (m.length >>> 8);
        framed[1] = (byte) m.length;
        System.arraycopy(m, 0, framed, 2, m.length);
        return framed;
    }

    @Test
    void lengthPrefixOf65535_thenSilence_allocatesNothingForTheClaimedLength_andIsClosedByTheMessageTimeout() {
        CountingAllocator alloc = new CountingAllocator();
        EmbeddedChannel ch = channel(alloc);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 5, 6, 7}));
        assertThat(alloc.largest).as("largest buffer asked for").isLessThan(1024);
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(LIMITS.tcpMessageMillis() + 1, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void messageSplitAcrossReads_isAnsweredOnce_andTheTimeoutDoesNotFireAfterItCompletes() throws Exception {
        EmbeddedChannel ch = channel(UnpooledByteBufAllocator.DEFAULT);
        byte[] q = framedQuery("svc-sts-nginx.default.svc.cluster.local.", 77);
        ch.writeInbound(Unpooled.wrappedBuffer(q, 0, 1));
        ch.advanceTimeBy(LIMITS.tcpMessageMillis() - 100, TimeUnit.MILLISECONDS);
        ch.writeInbound(Unpooled.wrappedBuffer(q, 1, q.length - 1));
        ByteBuf r = ch.readOutbound();
        assertThat(r).isNotNull();
        assertThat(r.getUnsignedShort(2)).isEqualTo(77);
        r.release();
        ch.advanceTimeBy(LIMITS.tcpMessageMillis(), TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("no partial message is pending, so only the idle timeout applies").isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedQueriesInOneRead_areAllAnsweredInOrder_rfc7766_6_2_1_1() throws Exception {
        EmbeddedChannel ch = channel(UnpooledByteBufAllocator.DEFAULT);
        CompositeByteBuf all = Unpooled.compositeBuffer();
        for (int i = 0; i < 20; i++) {
            all.addComponent(true, Unpooled.wrappedBuffer(framedQuery("svc-sts-nginx.default.svc.cluster.local.", i)));
        }
        ch.writeInbound(all);
        ch.runPendingTasks();
        for (int i = 0; i < 20; i++) {
            ByteBuf r = ch.readOutbound();
            assertThat(r).as("answer %d", i).isNotNull();
            assertThat(r.getUnsignedShort(2)).isEqualTo(i);
            r.release();
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void frameTooShortForAHeader_closesTheConnection() {
        EmbeddedChannel ch = channel(UnpooledByteBufAllocator.DEFAULT);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    /** Remembers the largest buffer the pipeline asked for. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        int largest;

        CountingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
