package org.pinlab.kernel.internal.bio;

import org.pinlab.api.fs.UnwrittenConversion;
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
import org.pinlab.kernel.internal.workqueue.WorkStruct;
import org.pinlab.kernel.internal.workqueue.Workqueue;
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
        submitWrite(m, pfn, block, null);
    }

    @Override
    public void submitUnwrittenWrite(Mount m, int pfn, long block, UnwrittenConversion convert) {
        submitWrite(m, pfn, block, convert);
    }

    /** A write whose completion ends the page's writeback, or with {@code convert} queues its conversion. */
    private void submitWrite(Mount m, int pfn, long block, UnwrittenConversion convert) {
        if (bounceSource >= 0) {
            submitBounceWrite(m, pfn, bounceSource, block, convert);
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
                if (convert == null) {
                    filemap.endPageWriteback(pfn);
                } else {
                    completeUnwritten(m, inode, new Completed(pfn, index, block, convert, true));
                }
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** A write whose data comes from a stable bounce copy: the page itself is not under writeback. */
    private void submitBounceWrite(Mount m, int pfn, int bounce, long block, UnwrittenConversion convert) {
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
                if (convert != null) {
                    completeUnwritten(m, inode, new Completed(pfn, index, block, convert, false));
                }
                if (inode != null && --inode.mapping.bounceInFlight == 0) {
                    inode.mapping.bounceWait.wakeAll();
                }
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** One completed write into an unwritten extent, waiting for its inode's conversion work. */
    private record Completed(int pfn, int index, long block, UnwrittenConversion convert, boolean endsWriteback) {
    }

    /** An inode's {@code i_rsv_conversion_work} and {@code i_rsv_conversion_list}. */
    private final class Conversion {
        final java.util.ArrayList<Completed> list = new java.util.ArrayList<>();
        final WorkStruct work;

        Conversion(Mount m, Inode inode) {
            work = WorkStruct.ofStep(m.sb.typeName() + "_end_io_rsv_work", () -> {
                // ext4_do_flush_completed_IO (fs/ext4/page-io.c, v6.12): take the list, convert each
                // io_end's extents (ext4_end_io_end), then ext4_release_io_end -> folio_end_writeback
                int n = list.size();
                for (Completed c : list) {
                    c.convert().convert(inode.ino, c.index(), c.block());
                    if (c.endsWriteback()) {
                        filemap.endPageWriteback(c.pfn());
                    }
                }
                list.clear();
                return costs.ns(Cost.CPU_STEP) * n;
            });
        }
    }

    private final java.util.Map<Inode, Conversion> conversions = new java.util.HashMap<>();
    private final java.util.Map<Mount, Workqueue> conversionQueues = new java.util.HashMap<>();

    /**
     * {@code ext4_put_io_end_defer} -> {@code ext4_add_complete_io} (v6.12): on the inode's list, and
     * {@code queue_work(rsv_conversion_wq, &ei->i_rsv_conversion_work)} if the list was empty.
     */
    private void completeUnwritten(Mount m, Inode inode, Completed c) {
        Conversion conv = conversions.computeIfAbsent(inode, i -> new Conversion(m, i));
        boolean wasEmpty = conv.list.isEmpty();
        conv.list.add(c);
        if (wasEmpty) {
            conversionQueues.computeIfAbsent(m, x -> new Workqueue(engine, m.sb.typeName() + "-rsv-conversion"))
                    .queueWork(conv.work);
        }
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
