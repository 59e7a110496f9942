package io.headlessdns.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;

class BatchReceiveBufferTest {
    private final PooledByteBufAllocator pool = new PooledByteBufAllocator(true);

    @Test
    void aBatchWhoseDatagramsWereAllReleased_isReadIntoAgain() {
        BatchReceiveBuffer buffers = new BatchReceiveBuffer(8192);
        RecvByteBufAllocator.Handle h = buffers.newHandle();
        ByteBuf first = h.allocate(pool);
        assertEquals(8192, first.capacity());
        first.writeInt(7);
        ByteBuf datagram = first.retainedSlice(0, 4); // as recvmmsg's datagrams are cut out of it
        first.release();
        datagram.release();
        ByteBuf second = h.allocate(pool);
        assertSame(first, second);
        assertEquals(0, second.writerIndex(), "cleared for the next read");
        second.release();
        buffers.close();
        assertEquals(0, second.refCnt(), "close lets go of the kept buffer");
    }

    @Test
    void aDatagramStillHeld_keepsItsBytesAndTheNextReadGetsAnotherBuffer() {
        BatchReceiveBuffer buffers = new BatchReceiveBuffer(4096);
        RecvByteBufAllocator.Handle h = buffers.newHandle();
        ByteBuf first = h.allocate(pool);
        first.writeInt(0x01020304);
        ByteBuf waiting = first.retainedSlice(0, 4); // a query waiting on an upstream
        first.release();
        ByteBuf second = h.allocate(pool);
        assertNotSame(first, second);
        second.writeInt(0);
        assertEquals(0x01020304, waiting.getInt(0), "the held datagram was not overwritten");
        waiting.release();
        assertEquals(0, first.refCnt(), "the old buffer is freed with its last datagram");
        second.release();
        buffers.close();
        assertEquals(0, second.refCnt());
    }

    @Test
    void aSizeThatIsNotPositive_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchReceiveBuffer(0));
    }
}
