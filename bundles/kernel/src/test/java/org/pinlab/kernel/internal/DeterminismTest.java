package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.programs.MixedWorkload;

/** One seed, one trace: a busy mixed workload run twice per seed gives the same hash. */
class DeterminismTest {

    static final MixedWorkload BUSY = new MixedWorkload(3, 64, 900, 1, 20_000);

    static Machine busy(long seed, long untilNs) {
        Machine m = Machine.builder().seed(seed).memory(MemoryLayout.normalOnly(1024))
                .allocator(new BuddyAllocatorService()).build();
        Mount mount = MachineKernel.of(m).mounts.mount("/mnt", new BufferHeadFs(), Map.of(), 4096);
        BUSY.install(MachineKernel.of(m).programs, mount);
        m.runUntil(untilNs);
        return m;
    }

    @Test
    void twoHundredSeedsEachRunTwiceGiveIdenticalTraceHashes() {
        Set<Long> distinct = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Machine a = busy(seed, 20_000_000);
            Machine b = busy(seed, 20_000_000);
            assertEquals(a.traceHash(), b.traceHash(), "seed " + seed);
            assertEquals(a.engine().steps(), b.engine().steps(), "seed " + seed);
            assertEquals(a.findings(), b.findings(), "seed " + seed);
            distinct.add(a.traceHash());
        }
        assertTrue(distinct.size() > 190, "seeds should give different runs; only " + distinct.size() + " distinct");
    }

    @Test
    void theBusyWorkloadExercisesFaultsWritebackAndReclaim() {
        Machine m = busy(3, 200_000_000);
        Kernel k = MachineKernel.of(m);
        assertTrue(k.vm.vmstat(Vmstat.PGFAULT) > 1000, "faults: " + k.vm.vmstat(Vmstat.PGFAULT));
        assertTrue(k.vm.vmstat(Vmstat.WRITEBACK_PAGES) > 100, "writeback: " + k.vm.vmstat(Vmstat.WRITEBACK_PAGES));
        assertTrue(k.vm.vmstat(Vmstat.PGSCAN_KSWAPD) + k.vm.vmstat(Vmstat.PGSCAN_DIRECT) > 100,
                "reclaim scans: " + k.vm.vmstat(Vmstat.PGSCAN_KSWAPD) + " + " + k.vm.vmstat(Vmstat.PGSCAN_DIRECT));
        assertTrue(k.vm.vmstat(Vmstat.PGSTEAL) > 10, "pages reclaimed: " + k.vm.vmstat(Vmstat.PGSTEAL));
    }
}
