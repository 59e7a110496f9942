package io.headlessdns.server.transport;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeAll;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * The real TCP pipeline (idle and per-message timeouts, RFC 1035 4.2.2 framing, pipelined answers with
 * the in-flight bound) on an EmbeddedChannel fed arbitrary chunks and stalls: no exception escapes, only
 * well-formed length-prefixed DNS responses come out, and every buffer fed in is released (no leak).
 */
class TcpFramingFuzzTest {
    private static EngineProvider engines;

    @BeforeAll
    static void cluster() {
        engines = TestEngines.cluster();
    }

    @FuzzTest(maxDuration = "150s")
    void chunks(FuzzedDataProvider data) throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 1));
        TransportLimits limits = TransportLimits.DEFAULT.withTcp(16, 1 + data.consumeInt(0, 3), 10_000, 3_000);
        Panics panics = new Panics(); // the handler counts what the engine throws: it must stay 0
        DnsServer.tcpPipeline(ch.pipeline(), engines, limits, new LongAdder(), new LongAdder(), panics, null);
        List<ByteBuf> fed = new ArrayList<>();
        try {
            while (data.remainingBytes() > 0 && ch.isOpen()) {
                if (data.consumeInt(0, 15) == 0) {
                    ch.advanceTimeBy(data.consumeInt(1, 12_000), TimeUnit.MILLISECONDS); // a stall
                } else {
                    byte[] bytes = data.consumeBytes(data.consumeInt(1, 700));
                    if (bytes.length == 0) {
                        continue; // would be Unpooled.EMPTY_BUFFER, whose reference count never drops
                    }
                    ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
                    fed.add(chunk);
                    ch.writeInbound(chunk);
                }
                ch.runPendingTasks();
                ch.checkException();
                if (panics.count() != 0) {
                    throw new AssertionError("the query engine threw on TCP input");
                }
                drainResponses(ch);
            }
        } finally {
            ch.finishAndReleaseAll();
        }
        ch.checkException();
        for (ByteBuf b : fed) {
            if (b.refCnt() != 0) {
                throw new AssertionError("an inbound buffer was not released (refCnt " + b.refCnt() + ")");
            }
        }
    }

    private static void drainResponses(EmbeddedChannel ch) throws IOException {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf out = (ByteBuf) o;
            try {
                int length = out.readUnsignedShort();
                if (length != out.readableBytes()) {
                    throw new AssertionError("length prefix " + length + " but " + out.readableBytes() + " bytes");
                }
                byte[] bytes = new byte[length];
                out.readBytes(bytes);
                if (!new Message(bytes).getHeader().getFlag(Flags.QR)) {
                    throw new AssertionError("a response without QR");
                }
            } finally {
                out.release();
            }
        }
    }
}
