package io.headlessdns.bench;

import io.headlessdns.server.compile.TableUpdater;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the writer-side benchmarks share: JMH settings, the service size and the number of other services
 * in the table, and that table. JMH reads the annotations and parameters from this superclass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class PublishShape {
    @Param({"1", "100", "1000"})
    public int endpoints;

    @Param({"10", "10000"})
    public int tableSize;

    /** An updater whose table holds {@code tableSize} headless services of 2 endpoints (not service 0). */
    protected final TableUpdater filledTable() {
        TableUpdater updater = BenchCluster.updater();
        for (int i = 1; i <= tableSize; i++) {
            updater.serviceChanged(BenchCluster.headless(i, 2, 0));
        }
        return updater;
    }
}
