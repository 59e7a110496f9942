package io.headlessdns.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads as Netty's: {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this>} makes JMH
 * run benchmark methods on {@link io.netty.util.concurrent.FastThreadLocalThread}s, the kind of thread
 * an event loop is, so Netty's pooled allocator recycles buffers as it does in the server.
 */
public final class NettyThreadExecutor extends ThreadPoolExecutor {
    /** The constructor JMH calls for a custom executor. */
    public NettyThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
