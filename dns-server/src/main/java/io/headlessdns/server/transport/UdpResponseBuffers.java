package io.headlessdns.server.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where one event loop's UDP responses are written: consecutive regions of one direct buffer, which
 * starts over from its beginning whenever every response handed out has been sent and released. A
 * response that does not fit in what is left comes from the pool. For writers that write exactly the
 * bytes they asked for ({@code ResponseWriter}): a region's view could be written past its end.
 *
 * <p>Design note: a pooled buffer per response goes through the allocator's thread cache and object
 * recycler (two multi-producer queues polled), whose memory the kernel's network path has pushed out of
 * the CPU caches by the next wake-up: at 40k queries/s that was ~0.25 µs a query (async-profiler), as much
 * as the table look-up costs; a recycled slice of one buffer still polled the recycler's queue. Here a
 * response is a view of memory the last batch just used, and the views are made once and reused: a view
 * ({@code duplicate()}) shares the buffer's reference count and only has its indices set. The buffer
 * keeps one reference of its own, and every view handed out one more, so a count of 1 means nothing
 * handed out is still waiting to be written, and every view and byte is free again. Only the event loop
 * that owns it calls it.
 */
final class UdpResponseBuffers extends AbstractByteBufAllocator {
    /** 64 responses of 512 bytes; dozens of the usual ~100-byte answers per receive batch. */
    static final int CAPACITY = 32 * 1024;
    static final int VIEWS = 64;

    private final ByteBufAllocator pool;
    private ByteBuf held;
    private final ByteBuf[] views = new ByteBuf[VIEWS];
    private int position;
    private int nextView;

    UdpResponseBuffers(ByteBufAllocator pool) {
        super(true);
        this.pool = pool;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf b = held;
        if (b == null) {
            held = b = pool.directBuffer(CAPACITY, CAPACITY);
            for (int i = 0; i < VIEWS; i++) {
                views[i] = b.duplicate();
            }
            position = 0;
            nextView = 0;
        } else if (b.refCnt() == 1) {
            position = 0; // every response of earlier batches has been written and released
            nextView = 0;
        }
        if (nextView == VIEWS || position + initialCapacity > CAPACITY) {
            return pool.directBuffer(initialCapacity, maxCapacity);
        }
        b.retain();
        ByteBuf view = views[nextView++];
        view.setIndex(position, position);
        position += initialCapacity;
        return view;
    }
    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return pool.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Lets go of the buffer (slices still held keep it until they are released). */
    void close() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
