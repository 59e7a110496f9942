package io.headlessdns.server.query;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.compile.ZoneOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.xbill.DNS.Message;

/**
 * An engine over an in-memory table, driven with raw bytes or dnsjava messages: the seam where the DNS
 * side is tested without sockets.
 */
final class Wire {
    final TableUpdater updater;
    final QueryEngine engine;
    final QueryCounters counters = new QueryCounters();

    Wire(PodRecordMode pods) {
        this(pods, UdpAnswerPolicy.TRUNCATE);
    }

    Wire(PodRecordMode pods, UdpAnswerPolicy udpAnswers) {
        this(pods, udpAnswers, LoadBalancePolicy.ROUND_ROBIN);
    }

    Wire(PodRecordMode pods, UdpAnswerPolicy udpAnswers, LoadBalancePolicy loadBalance) {
        ZoneOptions options = new ZoneOptions("cluster.local", 5, 5, pods);
        updater = new TableUpdater(new RecordCompiler(options), TableUpdater.newTable(options),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        engine = new QueryEngine(updater.table(), options, counters, () -> true, null, null, false, udpAnswers,
                loadBalance);
    }

    /** The raw response bytes (without the TCP length prefix), or null when dropped. */
    byte[] raw(byte[] query, boolean tcp) {
        ByteBuf in = Unpooled.wrappedBuffer(query);
        ByteBuf out = engine.respond(in, UnpooledByteBufAllocator.DEFAULT, tcp);
        if (out == null) {
            return null;
        }
        try {
            if (tcp) {
                int len = out.readUnsignedShort();
                if (len != out.readableBytes()) {
                    throw new AssertionError("TCP length prefix " + len + " but " + out.readableBytes() + " bytes follow");
                }
            }
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return b;
        } finally {
            out.release();
        }
    }

    Message ask(Message query, boolean tcp) throws java.io.IOException {
        byte[] r = raw(query.toWire(), tcp);
        return r == null ? null : new Message(r);
    }
}
