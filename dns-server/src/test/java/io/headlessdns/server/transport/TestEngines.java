package io.headlessdns.server.transport;

import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import java.time.Clock;
import java.util.List;

/** Query engines over a small in-memory cluster, for transport tests that need real answers. */
final class TestEngines {
    private TestEngines() {
    }

    /** {@code svc-sts-nginx} (2 endpoints) and {@code big} (200 endpoints) in {@code default}. */
    static EngineProvider cluster() {
        ZoneOptions options = new ZoneOptions("cluster.local", 5, 5, PodRecordMode.DISABLED);
        TableUpdater updater = new TableUpdater(new RecordCompiler(options), TableUpdater.newTable(options), Clock.systemUTC());
        updater.serviceChanged(headless("default", "svc-sts-nginx", List.of(port("web", 80)),
                ready("10.244.0.10", "sts-web-0", port("web", 80)), ready("10.244.0.11", "sts-web-1", port("web", 80))));
        EndpointView[] many = new EndpointView[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = ready("10.245." + (i / 250) + "." + (i % 250 + 1), "big-" + i);
        }
        updater.serviceChanged(headless("default", "big", List.of(), many));
        updater.synced();
        QueryCounters counters = new QueryCounters();
        return new EngineProvider(() -> new QueryEngine(updater.table(), options, counters, () -> true));
    }
}
