package org.pinlab.kernel.internal.mm.memory;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code write(2)} of one whole page of a file: {@code ksys_write} -> {@code vfs_write} ->
 * {@code generic_file_write_iter} -> {@code generic_perform_write} (mm/filemap.c, v6.12) for
 * one page: {@code ->write_begin} finds or creates the folio locked
 * ({@code __filemap_get_folio(FGP_WRITEBEGIN)}, whose {@code FGP_STABLE} waits in
 * {@code folio_wait_stable} for writeback of a page that must stay stable), the filesystem
 * reserves its blocks, the data is copied in, and {@code ->write_end} marks the folio dirty
 * ({@code block_write_end} -> {@code folio_mark_dirty}) and unlocks it.
 * Departures: a write within the pages the file was created with (-EFBIG past them), always
 * a whole page (so a new page is never read first), and no {@code balance_dirty_pages}
 * throttling beyond the flusher's wakeup.
 */
public final class GenericPerformWrite extends Proc {

    private static final int ALLOC_RETRIES = 4;

    private final Memory k;
    private final Inode inode;
    private final int index;
    private int pfn = -1;
    private int retries;
    /** The number of bytes written (a page), or a negative errno. */
    public long result;

    public GenericPerformWrite(Memory k, Inode inode, int index) {
        super("generic_perform_write");
        this.k = k;
        this.inode = inode;
        this.index = index;
    }

    /** Find or create the folio, lock it, wait while it must stay stable, then copy. */
    private enum Step implements Proc.State { GET_FOLIO, RETRY_ALLOC, LOCKED, RETURNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case GET_FOLIO:
            case RETRY_ALLOC:
                return getFolio(t);
            case LOCKED:
                return locked(t);
            case RETURNED:
                return t.ret();
            default:
                throw new IllegalStateException("generic_perform_write: bad pc " + pc);
        }
    }

    /** {@code __filemap_get_folio(FGP_LOCK | FGP_WRITE | FGP_CREAT | FGP_STABLE)}. */
    private int getFolio(Task t) {
        if (index < 0 || index >= inode.mapping.capacity()) {
            return done(t, Errno.EFBIG.negative());
        }
        int p = inode.mapping.lookup(index);
        if (p == AddressSpace.NONE) {
            // FGP_CREAT: a new folio, added locked (filemap_add_folio); the caller owns the lock
            p = k.pageAlloc.allocUserPage();
            if (p < 0) {
                if (retries++ >= ALLOC_RETRIES) {
                    return done(t, Errno.ENOMEM.negative());
                }
                k.vm.count(Vmstat.ALLOCSTALL, 1);
                resume(Step.RETRY_ALLOC);
                return t.call(new ShrinkNode(k.vmscan, 32, false)); // __alloc_pages_direct_reclaim
            }
            k.filemap.addToPageCache(inode, index, p);
            k.refs.putPage(p); // the cache holds the page; the write's own reference is taken below
            k.pageLocks.adoptLock(t, p);
            pfn = p;
            k.refs.getPage(p);
            return locked(t);
        }
        pfn = p;
        k.refs.getPage(p); // filemap_get_entry takes a reference
        resume(Step.LOCKED);
        return t.call(k.pageLocks.lockPage(p)); // FGP_LOCK
    }

    private int locked(Task t) {
        if (k.filemap.fileOf(pfn) != inode || k.frames.index(pfn) != index) {
            // truncated while we slept on the lock: look it up again
            k.pageLocks.unlockPage(pfn);
            k.refs.putPage(pfn);
            resume(Step.GET_FOLIO);
            return t.next(k.cost(Cost.CPU_STEP));
        }
        if (inode.mount.stableWrites() && k.frames.test(pfn, PageFlags.WRITEBACK)) {
            // FGP_STABLE -> folio_wait_stable (mm/page-writeback.c, v6.12): wait with the folio locked
            resume(Step.LOCKED);
            return t.call(k.pageLocks.waitOnPageWriteback(pfn));
        }
        int err = inode.mount.sb.writeBegin(k.filemap.page(pfn)); // ->write_begin's filesystem part
        if (err != 0) {
            if (!k.frames.test(pfn, PageFlags.UPTODATE)) {
                // a new folio that got no data: filemap_remove_folio on the error path of write_begin
                k.filemap.deleteFromPageCache(pfn);
                k.refs.putPage(pfn); // the cache's reference
            }
            k.pageLocks.unlockPage(pfn);
            k.refs.putPage(pfn);
            return done(t, err);
        }
        // copy_page_from_iter_atomic: the whole page, so it is up to date whatever it held
        long token = k.tokens.newToken();
        k.frames.setToken(pfn, token);
        k.frames.set(pfn, PageFlags.UPTODATE);
        k.frames.set(pfn, PageFlags.MKWRITE_SEEN); // the filesystem was asked, as page_mkwrite asks
        k.oracles.fileDataWritten(inode, index, token);
        inode.sizePages = Math.max(inode.sizePages, index + 1); // generic_write_end -> i_size_write
        k.filemap.setPageDirty(pfn); // ->write_end -> block_write_end -> folio_mark_dirty, folio locked
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn);
        k.engine.mix(token ^ ((long) pfn << 20));
        resume(Step.RETURNED);
        result = org.pinlab.api.mm.MemoryLayout.PAGE_SIZE;
        return t.next(k.cost(Cost.PAGE_COPY));
    }

    private int done(Task t, long r) {
        result = r;
        resume(Step.RETURNED);
        return t.next(k.cost(Cost.CPU_STEP));
    }
}
