package org.pinlab.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.allocator.internal.BuddyAllocatorService;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.access.MachineKernel;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.fs.writeback.Fsync;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.kernel.internal.mm.memory.UserAccess;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.Schedulers;

/**
 * Seed 001, step by step: a page dirtied through a shared ext4 mapping is taken by a
 * device with a plain reference (legacy get_user_pages), written back, stripped of its
 * buffers by reclaim (which then backs off because of the reference), written by DMA,
 * dirtied by the driver with set_page_dirty_lock, and met again by the flusher:
 * BUG_ON(!PagePrivate) in ext4_writepage.
 */
class Seed001Test {

    private static final long MS = 1_000_000;

    /** The machine and the one-page race, with or without the reclaim pass. */
    static Machine race(Scheduler scheduler, boolean reclaim) {
        Machine m = Machine.builder().seed(1).scheduler(scheduler)
                .memory(MemoryLayout.normalOnly(4096)).allocator(new BuddyAllocatorService()).build();
        Kernel k = MachineKernel.of(m);
        Mount mnt = k.mounts.mount("/mnt", new BufferHeadFs(), Map.of(), 1024);
        Inode file = k.filemap.createFile(mnt, 4);
        Mm mm = k.mmap.newMm("app");
        long vpn = k.mmap.mmap(mm, 4, true, true, file, 0).startVpn();
        int[] pinned = new int[1];

        // 1. the application writes the page: write fault -> page_mkwrite -> buffers, dirty
        m.engine().spawn("app", new Script("app_write").call(() -> new UserAccess(k.memory, mm, vpn, true)), 0);
        // the driver: get_user_pages(FOLL_WRITE) with a plain reference, DMA later, then release
        m.engine().spawn("ib_umem_get", new Script("rdma_driver")
                .at(1 * MS)
                .call(() -> new GetUserPages(k.gup, mm, vpn, 1, true, pfn -> {
                    k.refs.getPage(pfn); // FOLL_GET
                    pinned[0] = pfn;
                    return true;
                }))
                .at(4 * MS)
                // 4. the device writes by physical address: no fault, no page_mkwrite
                .then(k.costs.ns(org.pinlab.kernel.Cost.DMA_PAGE), t -> k.devices.dmaWrite(pinned[0]))
                // 5. set_page_dirty_lock(page); put_page(page)
                .call(() -> k.pageLocks.lockPage(pinned[0]))
                .then(0, t -> {
                    k.filemap.setPageDirty(pinned[0]);
                    k.pageLocks.unlockPage(pinned[0]);
                    k.refs.putPage(pinned[0]);
                }), 0);
        // 2. writeback cleans the page
        m.engine().spawn("sync", new Script("sync").at(2 * MS).call(() -> new Fsync(k.fsWriteback, file)), 0);
        if (reclaim) {
            // 3. reclaim strips the buffers, then fails to freeze the refcount and backs off
            m.engine().spawn("kswapd-pass", new Script("reclaim").at(3 * MS)
                    .call(() -> new ShrinkNode(k.vmscan, 1, true)), 0);
        }
        // 6. the flusher meets the page again
        m.engine().spawn("dirty-threshold", new Script("balance_dirty_pages").at(5 * MS)
                .then(0, t -> k.wb.wakeFlusher()), 0);
        m.runUntil(50 * MS);
        return m;
    }

    @Test
    void legacyReleaseAfterReclaimHitsExt4Bug() {
        Machine m = race(Schedulers.earliestFirst(), true);
        Kernel k = MachineKernel.of(m);
        List<Finding> findings = m.findings();

        assertEquals(FindingKind.DIRTY_WITHOUT_MKWRITE, findings.get(0).kind(), findings.toString());
        assertEquals("ib_umem_get", findings.get(0).task());
        Finding bug = findings.get(findings.size() - 1);
        assertEquals(FindingKind.BUG, bug.kind(), findings.toString());
        assertTrue(bug.message().contains("ext4_writepage") && bug.message().contains("no buffers"), bug.message());
        assertEquals("ext4_writepage", bug.backtrace().get(0));
        assertTrue(bug.backtrace().get(1).startsWith("write_cache_pages"), bug.backtrace().toString());
        assertTrue(bug.backtrace().get(2).startsWith("wb_workfn"), bug.backtrace().toString());
        assertTrue(bug.task().startsWith("kworker"), bug.task());
        assertTrue(m.engine().stopped(), "a BUG stops the machine");
        assertEquals(1, k.vm.vmstat(Vmstat.RECLAIM_BUFFERS_STRIPPED), "reclaim released the buffers once");
        assertTrue(k.vm.vmstat(Vmstat.RECLAIM_BACKOFF_PINNED) >= 1, "and backed off on the extra reference");
    }

    @Test
    void withoutReclaimTheBuffersSurviveAndWritebackSucceeds() {
        Machine m = race(Schedulers.earliestFirst(), false);
        assertEquals(0, m.engine().count(FindingKind.BUG), m.findings().toString());
        // the driver still broke the rule: the oracle says so even though nothing crashed
        assertEquals(1, m.engine().count(FindingKind.DIRTY_WITHOUT_MKWRITE));
        List<Finding> end = m.finish();
        assertEquals(0, m.engine().count(FindingKind.LOST_WRITE), end.toString());
    }

    @Test
    void theRaceReplaysExactlyFromItsSchedule() {
        Machine first = race(Schedulers.random(77), true);
        Finding bug = first.findings().get(first.findings().size() - 1);
        assertEquals(FindingKind.BUG, bug.kind());
        Machine again = race(Schedulers.replay(bug.schedule(), Schedulers.earliestFirst()), true);
        assertEquals(first.traceHash(), again.traceHash());
        assertEquals(first.findings(), again.findings());
    }
}
