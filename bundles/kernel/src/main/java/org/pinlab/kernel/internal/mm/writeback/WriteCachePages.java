package org.pinlab.kernel.internal.mm.writeback;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code write_cache_pages()} for one inode, via {@code do_writepages}: for every page
 * tagged dirty, lock it, {@code folio_clear_dirty_for_io}, set PG_writeback and call the
 * filesystem's {@code ->writepage}. With {@code sync} (WB_SYNC_ALL, fsync) it also waits for
 * pages already under writeback and then for all the I/O it started
 * ({@code __filemap_fdatawait_range}).
 */
public final class WriteCachePages extends Proc {

    private final PageWriteback k;
    private final Inode inode;
    private final boolean sync;
    private int index;
    private int pfn;
    /** Whether this WB_SYNC_ALL pass has tagged its pages TOWRITE. */
    private boolean tagged;
    /** Pages handed to the filesystem. */
    public int written;
    /** {@code wbc->pages_skipped}: pages the filesystem gave back dirty during this pass. */
    public long pagesSkipped;
    private long redirtiedBefore = -1;

    public WriteCachePages(PageWriteback k, Inode inode, boolean sync) {
        super("write_cache_pages");
        this.k = k;
        this.inode = inode;
        this.sync = sync;
    }

    /**
     * {@code write_cache_pages}' states as traces have numbered them: the writeback loop from 0,
     * the {@code WB_SYNC_ALL} wait from 10, and 99 for done.
     */
    private enum Step implements Proc.State {
        LOOKUP_DIRTY(0), CLEAR_DIRTY_FOR_IO(1), WRITEPAGE(2), RELOCK(5), SNAPSHOT_WRITTEN(6),
        FDATAWAIT(10), RECHECK_WRITEBACK(11),
        RETURNED(99);

        private final int pc;

        Step(int pc) {
            this.pc = pc;
        }

        @Override
        public int pc() {
            return pc;
        }
    }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case LOOKUP_DIRTY: {
                if (redirtiedBefore < 0) {
                    redirtiedBefore = inode.mapping.redirtied;
                }
                if (sync && !tagged) {
                    // writeback_iter (v6.12): a WB_SYNC_ALL pass first tags what is dirty now
                    // TOWRITE and writes only that, so pages dirtied meanwhile cannot livelock it
                    inode.mapping.tagPagesForWriteback();
                    tagged = true;
                }
                // filemap_get_folios_tag(PAGECACHE_TAG_TOWRITE, or PAGECACHE_TAG_DIRTY for WB_SYNC_NONE)
                int next = sync ? inode.mapping.nextTowrite(index) : inode.mapping.nextDirty(index);
                if (next < 0) {
                    pagesSkipped = inode.mapping.redirtied - redirtiedBefore;
                    if (inode.mapping.nrDirty() == 0) {
                        inode.mapping.dirtiedWhen = -1;
                    } else if (pagesSkipped > 0 && !sync) {
                        // requeue_inode (fs/fs-writeback.c, v6.12): pages_skipped -> redirty_tail_locked,
                        // the inode goes to the back of b_dirty. Departure: its dirtied_when always becomes now
                        inode.mapping.dirtiedWhen = k.engine.now();
                    }
                    index = 0;
                    resume(sync ? Step.FDATAWAIT : Step.RETURNED);
                    return t.next(k.cost(Cost.CPU_STEP));
                }
                index = next;
                if (sync) {
                    inode.mapping.clearTowriteTag(index); // this pass has taken it
                }
                pfn = inode.mapping.lookup(next);
                k.refs.getPage(pfn); // filemap_get_folios_tag returns the folios with a reference
                resume(Step.CLEAR_DIRTY_FOR_IO);
                return t.call(k.pageLocks.lockPage(pfn));
            }
            case CLEAR_DIRTY_FOR_IO: {
                if (k.filemap.fileOf(pfn) != inode || k.frames.index(pfn) != index || !k.frames.test(pfn, PageFlags.DIRTY)) {
                    // truncated, or cleaned by someone else, while we slept on the lock
                    return unlockAndAdvance(t);
                }
                if (k.frames.test(pfn, PageFlags.WRITEBACK)) {
                    if (!sync) {
                        return unlockAndAdvance(t); // WB_SYNC_NONE skips pages under writeback
                    }
                    resume(Step.CLEAR_DIRTY_FOR_IO); // folio_wait_writeback with the page locked, then look again
                    return t.call(k.pageLocks.waitOnPageWriteback(pfn));
                }
                if (k.pins.maybeDmaPinned(pfn)) {
                    WritebackPolicy.Action action = k.choices.writeback().onPinnedDirtyPage(k.filemap.page(pfn), sync);
                    k.engine.mix(0x3B0L + action.ordinal());
                    switch (action) {
                        case SKIP:
                            k.vm.count(Vmstat.WRITEBACK_SKIPPED_PINNED, 1);
                            return unlockAndAdvance(t);
                        case WAIT:
                            // model-only folio_wait_dma_unpinned: sleep until the pins go, then look again
                            k.vm.count(Vmstat.WRITEBACK_WAITED_PINNED, 1);
                            k.pageLocks.unlockPage(pfn);
                            resume(Step.RELOCK);
                            return t.park(k.pins.unpinWait);
                        case SNAPSHOT:
                            return snapshot(t);
                        case WRITE:
                        default:
                            break;
                    }
                }
                if (!k.clearPageDirtyForIo(pfn)) {
                    return unlockAndAdvance(t);
                }
                // PG_writeback is the filesystem's to set in ->writepage (folio_start_writeback)
                resume(Step.WRITEPAGE);
                return t.next(k.cost(Cost.WRITEBACK_PAGE));
            }
            case WRITEPAGE: {
                // ->writepage: the filesystem submits the bio (or hits its BUG_ON)
                int err = inode.mount.sb.writepage(k.filemap.page(pfn));
                if (k.engine.stopped()) {
                    return t.ret();
                }
                afterWritepage(err);
                return advance(t);
            }
            case RELOCK:
                resume(Step.CLEAR_DIRTY_FOR_IO); // woken: lock the page again and re-check everything
                return t.call(k.pageLocks.lockPage(pfn));
            case SNAPSHOT_WRITTEN:
                return advance(t);
            case FDATAWAIT: {
                // __filemap_fdatawait_range: wait for every page tagged writeback
                int next = inode.mapping.nextWriteback(index);
                if (next < 0) {
                    if (inode.mapping.bounceInFlight > 0) {
                        return t.park(inode.mapping.bounceWait); // snapshot writes count too
                    }
                    resume(Step.RETURNED);
                    return t.next(k.cost(Cost.CPU_STEP));
                }
                index = next;
                pfn = inode.mapping.lookup(next);
                resume(Step.RECHECK_WRITEBACK);
                return t.call(k.pageLocks.waitOnPageWriteback(pfn));
            }
            case RECHECK_WRITEBACK:
                if (k.frames.test(pfn, PageFlags.WRITEBACK) && k.filemap.fileOf(pfn) == inode) {
                    resume(Step.FDATAWAIT); // woken by another page in the same hashed queue: wait again
                    return t.next(0);
                }
                index++;
                resume(Step.FDATAWAIT);
                return t.next(0);
            case RETURNED:
                return t.ret();
            default:
                throw new IllegalStateException("write_cache_pages: bad pc " + pc);
        }
    }

    /**
     * Writes a stable copy and keeps the page dirty (Kara, Glisse): the bio reads from a
     * bounce page, so the device may go on writing the original, which stays dirty and
     * mapped. Costs a page copy and a page of memory until the I/O completes.
     */
    private int snapshot(Task t) {
        int bounce = k.pageAlloc.allocPage(org.pinlab.api.mm.Zone.NORMAL);
        if (bounce < 0) {
            if (sync) {
                // data integrity (fsync) may not skip the page: wake reclaim and try again, as a
                // GFP_NOFS allocation would retry; the page stays locked (model-only path)
                k.pageAlloc.wakeKswapd();
                return t.next(k.cost(Cost.KSWAPD_BACKOFF));
            }
            return unlockAndAdvance(t); // no memory for the copy: leave it dirty for the next round
        }
        k.frames.setToken(bounce, k.frames.token(pfn));
        k.vm.count(Vmstat.WRITEBACK_SNAPSHOTS, 1);
        k.vm.count(Vmstat.NR_BOUNCE, 1);
        k.vm.count(Vmstat.BOUNCE_COPY_BYTES, org.pinlab.api.mm.MemoryLayout.PAGE_SIZE);
        k.blockIo.bounceSource = bounce;
        int err = inode.mount.sb.writepage(k.filemap.page(pfn)); // it starts writeback; no bio will end it
        k.blockIo.bounceSource = -1;
        if (k.engine.stopped()) {
            return t.ret();
        }
        if (k.frames.test(pfn, PageFlags.WRITEBACK)) {
            // the filesystem started writeback of the original; the bio reads the bounce copy, so
            // end it now: flag, writeback tag and NR_WRITEBACK (the page stays dirty)
            inode.mapping.setWritebackTag(index, false);
            k.vm.count(Vmstat.NR_WRITEBACK, -1);
            k.pageLocks.endPageWriteback(pfn);
        }
        afterWritepage(err);
        resume(Step.SNAPSHOT_WRITTEN);
        return t.next(k.cost(Cost.WRITEBACK_PAGE) + k.cost(Cost.PAGE_COPY));
    }

    /**
     * What follows every ->writepage: a failure is warned about and recorded for fsync, the
     * page unlocked and let go.
     */
    private void afterWritepage(int err) {
        if (err != 0) {
            k.printk.warn(inode.mount.sb.typeName() + "_writepage", "writepage of inode " + inode.ino
                    + " page " + index + " failed: " + Errno.describe(err));
            // writeback_use_writepage (mm/page-writeback.c, v6.12): mapping_set_error(mapping, err)
            inode.mapping.setError(err, index, k.frames.token(pfn));
        }
        written++;
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn);
    }

    private int unlockAndAdvance(Task t) {
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn);
        return advance(t);
    }

    private int advance(Task t) {
        index++;
        resume(Step.LOOKUP_DIRTY);
        return t.next(k.cost(Cost.CPU_STEP));
    }
}
