package io.headlessdns.bench;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.compile.ZoneOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Synthetic clusters for the benchmarks: N headless services of E endpoints, deterministic IPs. */
public final class BenchCluster {
    public static final ZoneOptions OPTIONS = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE);
    static final PortView WEB = new PortView("web", 80, "TCP");

    private BenchCluster() {
    }

    public static TableUpdater updater() {
        return new TableUpdater(new RecordCompiler(OPTIONS), TableUpdater.newTable(OPTIONS), Clock.systemUTC());
    }

    /** Headless service {@code svc-<i>} in namespace {@code bench} with {@code endpoints} ready pods. */
    public static ServiceView headless(int i, int endpoints, int generation) {
        List<EndpointView> eps = new ArrayList<>(endpoints);
        for (int e = 0; e < endpoints; e++) {
            eps.add(endpoint(i, e, generation));
        }
        return headless(i, eps);
    }

    public static ServiceView headless(int i, List<EndpointView> eps) {
        return new ServiceView(new ServiceKey("bench", "svc-" + i), ServiceType.HEADLESS, List.of(), null, false,
                List.of(WEB), eps, null, true);
    }

    /** Endpoint {@code e} of service {@code i}: pod {@code svc-<i>-<e>}, an IP unique per (i, e, generation). */
    public static EndpointView endpoint(int i, int e, int generation) {
        int n = i * 1024 + e + generation * 7_777_777;
        String ip = "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
        return new EndpointView(List.of(ip), "svc-" + i + "-" + e, true, true, false, "svc-" + i + "-" + e, List.of(WEB));
    }
}
