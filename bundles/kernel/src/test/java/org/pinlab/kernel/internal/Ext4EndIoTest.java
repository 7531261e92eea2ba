package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.fs.ext4.internal.Ext4Type;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Schedulers;

/**
 * ext4's end_io on the real ext4 bundle: with dioread_nolock (v5.6 on) a newly allocated block
 * is written unwritten and the page's writeback ends only in {@code ext4_end_io_rsv_work}, on
 * the rsv-conversion workqueue (fs/ext4/page-io.c, v6.12); on 4.4 the bio's completion ends it.
 */
class Ext4EndIoTest {

    private static final long MS = 1_000_000;

    /** What one fsync of a freshly stored page saw. */
    private record Seen(int conversionWorkers, int fsyncResult, boolean durable, int findings,
                        boolean writebackLeft) {
    }

    private static Seen fsyncOfANewPage(String kernel) {
        Machine m = Machine.builder().seed(1).scheduler(Schedulers.earliestFirst())
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService())
                .engine(EngineConfig.DEFAULT.withRaceWindow(1_000)).build();
        Kernel k = MachineKernel.of(m);
        Mount mount = k.mounts.mount("/mnt", new Ext4Type(), Map.of("kernel", kernel), 1024);
        Inode file = k.filemap.createFile(mount, 4);
        Mm mm = k.mmap.newMm("app");
        Vma map = k.mmap.mmap(mm, 4, true, true, file, 0);
        Fsync[] fsync = new Fsync[1];
        m.engine().spawn("app", new Script("app").call(() -> new UserAccess(k.memory, mm, map.startVpn(), true))
                .at(MS).call(() -> fsync[0] = new Fsync(k.fsWriteback, file)), 0);
        java.util.Set<Integer> workers = new java.util.HashSet<>();
        m.engine().addListener((task, proc, start, end) -> {
            if (task.name().equals("kworker/u8:ext4-rsv-conversion")) {
                workers.add(task.id());
            }
        });
        m.runUntil(10 * MS);
        int pfn = file.mapping.lookup(0);
        boolean durable = k.oracles.durable(file, 0) == k.oracles.latest(file, 0);
        return new Seen(workers.size(), fsync[0].result, durable,
                m.engine().count(FindingKind.FSYNC_LIED) + m.engine().count(FindingKind.LOST_WRITE),
                k.frames.test(pfn, PageFlags.WRITEBACK));
    }

    @Test
    void ext4EndIoRsvWorkEndsWritebackOfAnUnwrittenExtentAfterConvertingIt() {
        Seen s = fsyncOfANewPage("6.12");
        assertEquals(1, s.conversionWorkers(), "the inode's i_rsv_conversion_work ran once");
        assertEquals(0, s.fsyncResult());
        assertTrue(s.durable(), "fsync waited for the conversion: the data is on disk and mapped");
        assertEquals(0, s.findings());
        assertFalse(s.writebackLeft());
    }

    @Test
    void onFourFourTheBioCompletionEndsWritebackAndTheBlockIsMappedAtOnce() {
        Seen s = fsyncOfANewPage("4.4");
        assertEquals(0, s.fsyncResult());
        assertTrue(s.durable());
        assertEquals(0, s.conversionWorkers(), "no unwritten extent on 4.4: nothing to convert");
    }
}
