package io.headlessdns.server.forward;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream server: its health and its meters (CoreDNS forward's names, pre-registered per RCODE so
 * that counting is an array index). Health as in CoreDNS forward: each failed query adds a failure;
 * {@link #MAX_FAILS} of them take the upstream out of the rotation; the health checker then probes it
 * with {@code . IN NS} every 0.5 s and any reply puts it back.
 */
final class Upstream {
    static final int MAX_FAILS = 2;
    /** RCODE label values; the last one stands for every other RCODE. */
    static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "OTHER"};

    /** CoreDNS's {@code plugin.TimeBuckets}: 0.25 ms doubling 16 times, so dashboards built for it work. */
    private static final Duration[] BUCKETS = new Duration[16];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKETS[i] = Duration.ofNanos(250_000L << i);
        }
    }

    final InetSocketAddress address;
    final String label;
    final AtomicInteger fails = new AtomicInteger();
    /** Set while a health-check loop runs for this upstream, so there is only ever one. */
    final AtomicBoolean probing = new AtomicBoolean();

    final LongAdder requests = new LongAdder();
    final LongAdder[] responses = new LongAdder[RCODES.length];
    final LongAdder healthcheckFailures = new LongAdder();
    private final Timer[] forwardDuration = new Timer[RCODES.length];
    private final Timer[] proxyDuration = new Timer[RCODES.length];

    Upstream(InetSocketAddress address, MeterRegistry registry) {
        this.address = address;
        this.label = UpstreamAddress.label(address);
        FunctionCounter.builder("coredns.forward.requests", requests, LongAdder::sum).tag("to", label)
                .description("Counter of requests made per upstream.").register(registry);
        FunctionCounter.builder("coredns.forward.healthcheck.failures", healthcheckFailures, LongAdder::sum)
                .tag("to", label).description("Counter of the number of failed healthchecks.").register(registry);
        FunctionCounter.builder("coredns.proxy.healthcheck.failures", healthcheckFailures, LongAdder::sum)
                .tag("proxy_name", "forward").tag("to", label)
                .description("Counter of the number of failed healthchecks.").register(registry);
        for (int i = 0; i < RCODES.length; i++) {
            responses[i] = new LongAdder();
            FunctionCounter.builder("coredns.forward.responses", responses[i], LongAdder::sum).tag("to", label)
                    .tag("rcode", RCODES[i]).description("Counter of responses received per upstream.").register(registry);
            forwardDuration[i] = Timer.builder("coredns.forward.request.duration").tag("to", label).tag("rcode", RCODES[i])
                    .serviceLevelObjectives(BUCKETS).description("Histogram of the time each request took.").register(registry);
            proxyDuration[i] = Timer.builder("coredns.proxy.request.duration").tag("proxy_name", "forward")
                    .tag("to", label).tag("rcode", RCODES[i]).serviceLevelObjectives(BUCKETS)
                    .description("Histogram of the time each request took.").register(registry);
        }
    }

    boolean down() {
        return fails.get() >= MAX_FAILS;
    }

    void answered(int rcode, long nanos) {
        int i = rcode >= 0 && rcode < RCODES.length - 1 ? rcode : RCODES.length - 1;
        responses[i].increment();
        forwardDuration[i].record(nanos, TimeUnit.NANOSECONDS);
        proxyDuration[i].record(nanos, TimeUnit.NANOSECONDS);
        fails.set(0);
    }

    @Override
    public String toString() {
        return label;
    }
}
