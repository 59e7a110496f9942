package io.headlessdns.server.compile;

import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * DNS programming latency, as CoreDNS's {@code coredns_kubernetes_dns_programming_duration_seconds}: the
 * time from the EndpointSlice's {@code endpoints.kubernetes.io/last-change-trigger-time} (when the pod or
 * service change that caused it happened) to the moment the new answer is published in the record table.
 * Same buckets as CoreDNS (exponential, 1 ms doubling 20 times) and the same {@code service_kind} label.
 *
 * <p>Called by the table's single writer after it published. A trigger time is recorded once: a relist
 * or a service-only update republishes the same trigger time, which is not a new programming event.
 * Changes seen before the source synced are not recorded either: their trigger times can be hours old
 * (whatever happened before this server started) and would say nothing about this server's latency.
 */
public final class ProgrammingLatency {
    static final String NAME = "coredns_kubernetes_dns_programming_duration";

    private final Clock clock;
    private final Timer clusterIp;
    private final Timer headlessWithSelector;
    private final Timer headlessWithoutSelector;
    /** The trigger time last recorded per service; only the writer thread touches it. */
    private final Map<ServiceKey, Instant> recorded = new HashMap<>();

    public ProgrammingLatency(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        Duration[] buckets = new Duration[20];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = Duration.ofNanos(1_000_000L << i); // prometheus.ExponentialBuckets(0.001, 2, 20)
        }
        this.clusterIp = timer(registry, "cluster_ip", buckets);
        this.headlessWithSelector = timer(registry, "headless_with_selector", buckets);
        this.headlessWithoutSelector = timer(registry, "headless_without_selector", buckets);
    }

    private static Timer timer(MeterRegistry registry, String kind, Duration[] buckets) {
        return Timer.builder(NAME)
                .description("Time from an EndpointSlice's last-change-trigger-time to the new answer being served")
                .tag("service_kind", kind)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }

    /** The service's records were just published. */
    void published(ServiceView service, boolean synced) {
        Instant trigger = service.lastChangeTriggerTime();
        if (trigger == null || service.type() == ServiceType.EXTERNAL_NAME) {
            return;
        }
        Instant before = recorded.put(service.key(), trigger);
        if (!synced || (before != null && !trigger.isAfter(before))) {
            return;
        }
        Duration d = Duration.between(trigger, clock.instant());
        timer(service).record(d.isNegative() ? Duration.ZERO : d); // a clock behind the controller's
    }

    void removed(ServiceKey key) {
        recorded.remove(key);
    }

    private Timer timer(ServiceView s) {
        if (s.type() == ServiceType.CLUSTER_IP) {
            return clusterIp;
        }
        return s.hasSelector() ? headlessWithSelector : headlessWithoutSelector;
    }
}
