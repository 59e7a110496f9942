package io.headlessdns.bench;

import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.compile.TableUpdater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * A service appearing: compile a headless service of {@code endpoints} endpoints and publish it into a
 * table that holds {@code tableSize} other services and not this one (it is removed again before each
 * call, outside the measured time). {@link PublishBenchmark#fullService} is the heavier shape where the
 * service is already served and every address changes, so old names go as new ones come.
 *
 * <p>The removal runs per invocation (JMH {@code Level.Invocation}), whose own overhead is small next to
 * a call of a millisecond but not next to one of a microsecond: read the 1-endpoint figure as an upper
 * bound.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PublishNewBenchmark}
 */
public class PublishNewBenchmark extends PublishShape {
    private TableUpdater updater;
    private ServiceView service;
    /** The table's size before the service is first published, checked before each call. */
    private int withoutService;

    @Setup(Level.Trial)
    public void setUp() {
        updater = filledTable();
        service = BenchCluster.headless(0, endpoints, 1);
        withoutService = updater.table().size();
    }

    @Setup(Level.Invocation)
    public void absent() {
        updater.serviceRemoved(service.key());
        if (updater.table().size() != withoutService) {
            throw new IllegalStateException("the service is still served: the call would not publish it anew");
        }
    }

    @Benchmark
    public int newService() {
        updater.serviceChanged(service);
        return updater.table().size();
    }
}
