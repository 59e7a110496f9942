package io.headlessdns.server.transport;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins the calling thread to one CPU with sched_setaffinity(2), for {@code --cpu-affinity}: event loop
 * {@code i} runs on the {@code i}-th CPU the process may use (its cgroup cpuset or taskset mask), as Knot
 * DNS pins its UDP workers.
 *
 * <p>Design note: why pin. An unpinned event loop is moved between CPUs by the scheduler (hundreds of
 * migrations a second at 40k queries/s here), each move refilling caches and turning wake-ups into
 * cross-CPU ones: at a fixed 40k queries/s the pinned server used about a fifth less CPU and a third of
 * the context switches (bench/README.md). It is off by default because pinning only helps when the CPUs
 * are the pod's own (Kubernetes' static CPU manager policy, a Guaranteed pod with whole CPUs): on a shared
 * node every pinned pod would start at the first CPU of the node.
 *
 * <p>JNA is loaded only when the flag is on (this class is the only user).
 */
final class CpuAffinity {
    private static final Logger LOG = LoggerFactory.getLogger(CpuAffinity.class);
    /** Mask words: 1024 CPUs, glibc's cpu_set_t. */
    private static final int MASK_WORDS = 16;

    /** The two calls of libc; pid 0 is the calling thread. */
    interface LibC extends Library {
        int sched_getaffinity(int pid, long size, long[] mask);

        int sched_setaffinity(int pid, long size, long[] mask);
    }

    private CpuAffinity() {
    }

    /** The CPUs the calling thread may run on, ascending; empty when they cannot be read. */
    static List<Integer> allowedCpus() {
        long[] mask = new long[MASK_WORDS];
        List<Integer> cpus = new ArrayList<>();
        if (libc().sched_getaffinity(0, mask.length * 8L, mask) != 0) {
            return cpus;
        }
        for (int word = 0; word < mask.length; word++) {
            for (long bits = mask[word]; bits != 0; bits &= bits - 1) {
                cpus.add(word * 64 + Long.numberOfTrailingZeros(bits));
            }
        }
        return cpus;
    }

    /**
     * Pins the calling thread to the {@code index}-th of {@code cpus} (modulo their number). Returns the
     * CPU, or -1 when it could not be pinned (then it runs unpinned, as without the flag, and says so once).
     */
    static int pinCurrentThread(List<Integer> cpus, int index) {
        if (cpus.isEmpty()) {
            LOG.warn("--cpu-affinity: cannot read the CPUs this process may use; {} runs unpinned", Thread.currentThread().getName());
            return -1;
        }
        int cpu = cpus.get(index % cpus.size());
        long[] mask = new long[MASK_WORDS];
        mask[cpu / 64] = 1L << (cpu % 64);
        if (libc().sched_setaffinity(0, mask.length * 8L, mask) != 0) {
            LOG.warn("--cpu-affinity: sched_setaffinity to CPU {} failed (errno {}); {} runs unpinned", cpu,
                    Native.getLastError(), Thread.currentThread().getName());
            return -1;
        }
        return cpu;
    }

    private static LibC libc() {
        return Holder.LIBC;
    }

    /** Loads libc through JNA on first use. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }
}
