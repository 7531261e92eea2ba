package org.pinlab.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.BufferHeadFs;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.programs.MixedWorkload;

/**
 * The whole model kernel under a mixed workload: three writer processes storing to,
 * loading from, fsyncing and truncating shared file mappings on a buffer-head filesystem,
 * and an anonymous-memory hog that keeps 4 MiB of memory under pressure, so faults,
 * page_mkwrite, writeback, block I/O, kswapd and direct reclaim all run. The score is
 * engine steps per second (each invocation runs {@value #STEPS} steps of one long run,
 * which is rebuilt when it ends).
 *
 * <p>Goal: at least 1 million steps per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class KernelMixedBenchmark {

    static final int STEPS = 100_000;

    /** Whether the lock validator runs (it does by default in every machine). */
    @Param({"true", "false"})
    public boolean lockdep;

    private Machine machine;
    private long seed;

    @Setup(Level.Iteration)
    public void build() {
        machine = Machine.builder().seed(seed++).memory(MemoryLayout.normalOnly(1024)).lockdep(lockdep)
                .allocator(new BuddyAllocatorService()).build();
        Kernel kernel = MachineKernel.of(machine);
        Mount mount = kernel.mounts.mount("/mnt", new BufferHeadFs(), Map.of(), 4096);
        new MixedWorkload(3, 64, 900, 0, 20_000).install(kernel.programs, mount);
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long steps() {
        for (int i = 0; i < STEPS; i++) {
            if (!machine.engine().step()) {
                build();
            }
        }
        return machine.engine().steps();
    }
}
