package io.headlessdns.bench;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.compile.TableUpdater;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The writer side: compile a headless service and publish it into a table that already holds
 * {@code tableSize} other services. {@code fullService} alternates the whole service between two
 * generations of IPs (every name changes); {@code oneEndpointChange} changes one endpoint of it.
 * A flat cost across {@code tableSize} shows a change does not touch other services.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PublishBenchmark}
 */
public class PublishBenchmark extends PublishShape {
    private TableUpdater updater;
    private ServiceView[] generations;
    private ServiceView[] oneChanged;
    private int flip;

    @Setup
    public void setUp() {
        updater = filledTable();
        generations = new ServiceView[] {BenchCluster.headless(0, endpoints, 1), BenchCluster.headless(0, endpoints, 2)};
        List<EndpointView> eps = new ArrayList<>(generations[0].endpoints());
        eps.set(eps.size() / 2, BenchCluster.endpoint(0, eps.size() / 2, 3));
        oneChanged = new ServiceView[] {generations[0], BenchCluster.headless(0, eps)};
        updater.serviceChanged(generations[0]);
    }

    @Benchmark
    public int fullService() {
        flip ^= 1;
        updater.serviceChanged(generations[flip]);
        return updater.table().size();
    }

    @Benchmark
    public int oneEndpointChange() {
        flip ^= 1;
        updater.serviceChanged(oneChanged[flip]);
        return updater.table().size();
    }
}
