package org.pinlab.kernel.internal.bio;

import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.oracles.Oracles;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * block/bio.c and blk-mq: a filesystem's reads and writes of pages, each completed by an
 * interrupt task ({@code blk_mq_complete_request}) one block-I/O time later. The medium is
 * the mount's {@link org.pinlab.kernel.internal.block.BlockDevice}.
 */
public final class BlockIo implements Mount.Io {

    private final Engine engine;
    private final CostTable costs;
    private final FrameStore frames;
    private final VmCounters vm;
    private final Oracles oracles;
    private final PageLocks pageLocks;
    private final Filemap filemap;
    private final PageRefs refs;
    /** While a snapshot writepage runs: the bounce page its bio reads from, else -1. */
    public int bounceSource = -1;

    public BlockIo(Engine engine, CostTable costs, FrameStore frames, VmCounters vm, Oracles oracles,
                   PageLocks pageLocks, Filemap filemap, PageRefs refs) {
        this.engine = engine;
        this.costs = costs;
        this.frames = frames;
        this.vm = vm;
        this.oracles = oracles;
        this.pageLocks = pageLocks;
        this.filemap = filemap;
        this.refs = refs;
    }

    /** {@code submit_bio(REQ_OP_WRITE)}: the device takes a snapshot of the page's data when it completes. */
    @Override
    public void submitWrite(Mount m, int pfn, long block) {
        if (bounceSource >= 0) {
            submitBounceWrite(m, pfn, bounceSource, block);
            return;
        }
        long snapshot = frames.token(pfn);
        Inode inode = filemap.fileOf(pfn);
        int index = frames.index(pfn);
        vm.count(Vmstat.PGPGOUT, 1);
        engine.spawn("irq/" + m.device.name(), new Proc("blk_mq_complete_request") {
            @Override
            protected int step(Task task) {
                // end_bio_bh_io_sync -> end_page_writeback: what reaches the medium is what the
                // page held when the write was issued; a change since then tears the block
                long now = frames.token(pfn);
                long stored = snapshot;
                if (now != snapshot && m.stableWrites()) {
                    oracles.tornWrite(inode, index, pfn);
                    stored = snapshot ^ now ^ 0x70A2L; // neither version: the block is torn
                }
                m.device.store(block, stored);
                oracles.blockWritten(m, inode, index, block, stored);
                filemap.endPageWriteback(pfn);
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** A write whose data comes from a stable bounce copy: the page itself is not under writeback. */
    private void submitBounceWrite(Mount m, int pfn, int bounce, long block) {
        long data = frames.token(bounce);
        Inode inode = filemap.fileOf(pfn);
        int index = frames.index(pfn);
        vm.count(Vmstat.PGPGOUT, 1);
        if (inode != null) {
            inode.mapping.bounceInFlight++;
        }
        engine.spawn("irq/" + m.device.name(), new Proc("blk_mq_complete_request") {
            @Override
            protected int step(Task task) {
                m.device.store(block, data); // the copy cannot change under the I/O: never torn
                oracles.blockWritten(m, inode, index, block, data);
                vm.count(Vmstat.NR_BOUNCE, -1);
                refs.putPage(bounce);
                if (inode != null && --inode.mapping.bounceInFlight == 0) {
                    inode.mapping.bounceWait.wakeAll();
                }
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** {@code submit_bio(REQ_OP_READ)}: fills the page at completion and unlocks it. */
    @Override
    public void submitRead(Mount m, int pfn, long block) {
        vm.count(Vmstat.PGPGIN, 1);
        engine.spawn("irq/" + m.device.name(), new Proc("blk_mq_complete_request") {
            @Override
            protected int step(Task task) {
                frames.setToken(pfn, m.device.read(block)); // mpage_end_io -> folio_end_read
                frames.set(pfn, PageFlags.UPTODATE);
                pageLocks.unlockPage(pfn);
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_READ));
    }

    @Override
    public void endPageWriteback(int pfn) {
        filemap.endPageWriteback(pfn);
    }

    @Override
    public void startPageWriteback(int pfn) {
        filemap.startPageWriteback(pfn);
    }

    @Override
    public void redirtyForWritepage(int pfn) {
        filemap.redirtyForWritepage(pfn);
    }

    @Override
    public void zeroFill(int pfn) {
        filemap.zeroFill(pfn);
    }
}
