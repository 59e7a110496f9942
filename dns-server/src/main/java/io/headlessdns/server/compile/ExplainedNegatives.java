package io.headlessdns.server.compile;

import io.headlessdns.k8s.model.ServiceKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code headless_dns_explained_negatives_total{namespace,service}}: NXDOMAIN answers for a headless
 * service that exists but has no ready endpoints (issue #9 item 5). The writer registers a service's
 * counter when the service first has no ready endpoints and removes it with the service; the query path
 * increments the {@link LongAdder} it finds on the table node, so nothing is looked up per query.
 *
 * <p>Only the table's single writer calls it.
 */
public final class ExplainedNegatives {
    static final String NAME = "headless_dns_explained_negatives";

    private final MeterRegistry registry;
    private final Map<ServiceKey, Entry> byService = new HashMap<>();

    private record Entry(LongAdder adder, FunctionCounter meter) {
    }

    public ExplainedNegatives(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counter of a service, registered on first use. */
    LongAdder counter(ServiceKey key) {
        return byService.computeIfAbsent(key, k -> {
            LongAdder adder = new LongAdder();
            FunctionCounter meter = FunctionCounter.builder(NAME, adder, LongAdder::sum)
                    .description("NXDOMAIN answers for a headless service that exists but has no ready endpoints"
                            + " (with an RFC 8914 Extended DNS Error when the client sent EDNS)")
                    .tag("namespace", k.namespace()).tag("service", k.name())
                    .register(registry);
            return new Entry(adder, meter);
        }).adder();
    }

    /** Drops the counter of a service that went away. */
    void remove(ServiceKey key) {
        Entry e = byService.remove(key);
        if (e != null) {
            registry.remove(e.meter());
        }
    }
}
