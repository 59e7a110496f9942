package io.headlessdns.bench;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.compile.TableUpdater;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The writer side: compile a headless service and publish it into a table that already holds
 * {@code tableSize} other services. {@code fullService} alternates the whole service between two
 * generations of IPs (every name changes); {@code oneEndpointChange} changes one endpoint of it.
 * A flat cost across {@code tableSize} shows a change does not touch other services.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PublishBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishBenchmark {
    @Param({"1", "100", "1000"})
    public int endpoints;

    @Param({"10", "10000"})
    public int tableSize;

    private TableUpdater updater;
    private ServiceView[] generations;
    private ServiceView[] oneChanged;
    private int flip;

    @Setup
    public void setUp() {
        updater = BenchCluster.updater();
        for (int i = 1; i <= tableSize; i++) {
            updater.serviceChanged(BenchCluster.headless(i, 2, 0));
        }
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
