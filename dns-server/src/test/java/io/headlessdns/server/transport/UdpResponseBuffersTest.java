package io.headlessdns.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpResponseBuffersTest {
    private final PooledByteBufAllocator pool = new PooledByteBufAllocator(true);
    private final UdpResponseBuffers buffers = new UdpResponseBuffers(pool);

    @AfterEach
    void close() {
        buffers.close();
    }

    @Test
    void responsesHeldAtTheSameTime_doNotShareBytes() {
        ByteBuf a = buffers.ioBuffer(100);
        a.writeBytes(filled(100, 0xAA));
        ByteBuf b = buffers.ioBuffer(60);
        b.writeBytes(filled(60, 0xBB));
        assertEquals(100, a.readableBytes());
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) 0xAA, a.getByte(a.readerIndex() + i), "byte " + i + " of the first response");
        }
        for (int i = 0; i < 60; i++) {
            assertEquals((byte) 0xBB, b.getByte(b.readerIndex() + i), "byte " + i + " of the second response");
        }
        a.release();
        b.release();
    }

    @Test
    void onceEveryResponseIsReleased_theSameViewAndBytesAreHandedOutAgain() {
        ByteBuf first = buffers.ioBuffer(100);
        int at = first.writerIndex();
        first.release();
        ByteBuf again = buffers.ioBuffer(100);
        assertSame(first, again, "the released view is reused");
        assertEquals(at, again.writerIndex(), "from the start of the buffer again");
        again.release();
    }

    @Test
    void whileOneResponseIsStillHeld_theNextOneGoesAfterIt() {
        ByteBuf held = buffers.ioBuffer(100);
        ByteBuf other = buffers.ioBuffer(100);
        other.release();
        ByteBuf next = buffers.ioBuffer(100);
        assertNotSame(held, next);
        assertTrue(next.writerIndex() >= held.writerIndex() + 100, "does not overlap the held response");
        held.release();
        next.release();
    }

    @Test
    void whenTheBufferOrItsViewsRunOut_responsesComeFromThePoolAndStillWork() {
        List<ByteBuf> out = new ArrayList<>();
        for (int i = 0; i < UdpResponseBuffers.VIEWS + 5; i++) {
            ByteBuf b = buffers.ioBuffer(64);
            b.writeInt(i);
            out.add(b);
        }
        ByteBuf big = buffers.ioBuffer(UdpResponseBuffers.CAPACITY + 1);
        big.writeZero(UdpResponseBuffers.CAPACITY + 1);
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInt(out.get(i).readerIndex()), "response " + i + " kept its bytes");
        }
        assertEquals(UdpResponseBuffers.CAPACITY + 1, big.readableBytes());
        out.forEach(ByteBuf::release);
        big.release();
        ByteBuf after = buffers.ioBuffer(64);
        assertEquals(0, after.writerIndex(), "all released: starts over at the beginning");
        after.release();
    }

    @Test
    void close_leavesNothingAllocatedOnceTheLastResponseIsReleased() {
        ByteBuf b = buffers.ioBuffer(100);
        buffers.close();
        assertEquals(1, b.refCnt(), "a response still held keeps the memory");
        b.release();
        assertEquals(0, b.refCnt());
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
