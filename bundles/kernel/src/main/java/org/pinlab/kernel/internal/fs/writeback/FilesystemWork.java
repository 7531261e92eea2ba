package org.pinlab.kernel.internal.fs.writeback;

import org.pinlab.api.fs.FolioWork;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mount;
import org.pinlab.kernel.internal.mm.filemap.Filemap;
import org.pinlab.kernel.internal.mm.swap.PageRefs;
import org.pinlab.kernel.internal.mm.writeback.PageWriteback;
import org.pinlab.kernel.internal.workqueue.WorkStruct;
import org.pinlab.kernel.internal.workqueue.Workqueue;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * The work a mounted filesystem defers: one unbound workqueue for all mounts (btrfs has
 * {@code fs_info->fixup_workers}, ext4 {@code rsv_conversion_wq}; departure: one queue, named
 * after the first user), and the page-writeback calls a filesystem may make outside
 * {@code ->writepage}.
 */
public final class FilesystemWork implements Mount.Deferred {

    private final Engine engine;
    private final PageLocks pageLocks;
    private final PageRefs refs;
    private final Filemap filemap;
    private final PageWriteback writeback;
    private final Workqueue queue;

    public FilesystemWork(Engine engine, PageLocks pageLocks, PageRefs refs, Filemap filemap, PageWriteback writeback) {
        this.engine = engine;
        this.pageLocks = pageLocks;
        this.refs = refs;
        this.filemap = filemap;
        this.writeback = writeback;
        this.queue = new Workqueue(engine, "fs-work");
    }

    /**
     * A new work item per call (btrfs kzallocs a fixup per folio), holding a page reference
     * from now ({@code folio_get}) until it has run.
     */
    @Override
    public void queueFolioWork(Mount m, int pfn, String name, FolioWork work) {
        Inode inode = filemap.fileOf(pfn);
        if (inode == null || inode.mount != m) {
            throw new IllegalStateException(name + ": pfn " + pfn + " is not a page of " + m.path);
        }
        int index = filemap.page(pfn).index();
        refs.getPage(pfn);
        queue.queueWork(new WorkStruct(name, () -> new FolioWorker(name, inode, index, pfn, work)));
    }

    @Override
    public org.pinlab.api.fs.FsWork newWork(Mount m, String name, Runnable fn) {
        WorkStruct work = WorkStruct.ofStep(name, () -> {
            fn.run();
            return 0;
        });
        return new org.pinlab.api.fs.FsWork() {
            @Override
            public boolean queue() {
                return queue.queueWork(work);
            }

            @Override
            public boolean queueDelayed(long delayNs) {
                return queue.queueDelayedWork(work, delayNs);
            }

            @Override
            public boolean pending() {
                return work.pending();
            }
        };
    }

    @Override
    public boolean clearDirtyForIo(int pfn) {
        return writeback.clearPageDirtyForIo(pfn);
    }

    @Override
    public void mappingSetError(int pfn, int err, long token) {
        Inode inode = filemap.fileOf(pfn);
        if (inode == null) {
            throw new IllegalStateException("mapping_set_error of pfn " + pfn + ", not in a page cache");
        }
        // mapping_set_error (include/linux/pagemap.h, v6.12) -> errseq_set(&mapping->wb_err, err)
        inode.mapping.setError(err, filemap.page(pfn).index(), token); // the data the error lost
    }

    /** The kworker's run: lock the folio, check it is still the file's, run the work, unlock, put. */
    private final class FolioWorker extends Proc {
        private final Inode inode;
        private final int index;
        private final int pfn;
        private final FolioWork work;

        /** Lock, then run. */
        private enum Step implements Proc.State { LOCK, LOCKED }

        private static final Step[] STEPS = byPc(Step.values());

        FolioWorker(String name, Inode inode, int index, int pfn, FolioWork work) {
            super(name);
            this.inode = inode;
            this.index = index;
            this.pfn = pfn;
            this.work = work;
        }

        @Override
        protected int step(Task t) {
            if (STEPS[pc] == Step.LOCK) {
                resume(Step.LOCKED);
                return t.call(pageLocks.lockPage(pfn)); // folio_lock
            }
            if (filemap.fileOf(pfn) == inode && filemap.page(pfn).index() == index) {
                work.run(filemap.page(pfn)); // !folio->mapping: truncated meanwhile, nothing to do
            }
            pageLocks.unlockPage(pfn);
            refs.putPage(pfn); // folio_put
            return t.ret();
        }
    }
}
