package io.headlessdns.server.transport;

import io.headlessdns.server.query.QueryEngine;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.function.Supplier;

/**
 * Hands each event loop thread its own {@link QueryEngine} (engines reuse parse state and are not
 * thread-safe). A {@link FastThreadLocal} read is an array index on Netty's threads: no allocation.
 */
public final class EngineProvider {
    private final FastThreadLocal<QueryEngine> engines;

    public EngineProvider(Supplier<QueryEngine> factory) {
        this.engines = new FastThreadLocal<>() {
            @Override
            protected QueryEngine initialValue() {
                return factory.get();
            }
        };
    }

    QueryEngine get() {
        return engines.get();
    }
}
