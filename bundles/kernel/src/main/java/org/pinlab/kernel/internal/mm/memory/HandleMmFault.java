package org.pinlab.kernel.internal.mm.memory;

import org.pinlab.api.fs.Superblock;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.AddressSpace;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.vmscan.ShrinkNode;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code handle_mm_fault()}: resolves a fault on one virtual page, with {@code mmap_lock}
 * held for read by the caller. Anonymous faults get a zeroed page; file faults go through
 * the page cache ({@code filemap_fault}, reading through the filesystem); a write to a
 * shared file mapping calls the filesystem's {@code page_mkwrite} before the PTE becomes
 * writable ({@code do_shared_fault}, {@code wp_page_shared}). A DAX file has no page cache:
 * the PTE maps the block's own pmem frame ({@code dax_iomap_fault}). A write to a private
 * file mapping breaks COW into an anonymous copy ({@code do_cow_fault}, {@code wp_page_copy}),
 * as does an unshare fault ({@code FAULT_FLAG_UNSHARE}, from GUP's read-only long-term pins).
 */
public final class HandleMmFault extends Proc {

    public static final int OK = 0;
    /** VM_FAULT_SIGSEGV: no VMA, or a write to a read-only one. */
    public static final int SIGSEGV = 1;
    /** VM_FAULT_SIGBUS: the filesystem refused (page_mkwrite failed), or the page is beyond EOF. */
    public static final int SIGBUS = 2;
    /** VM_FAULT_OOM. */
    public static final int OOM = 3;
    /** VM_FAULT_HWPOISON: the PTE is a hwpoison entry; the memory behind it is bad. */
    public static final int HWPOISON = 4;

    private static final int ALLOC_RETRIES = 8;

    private final Memory k;
    private final Mm mm;
    private final long vpn;
    private final boolean write;
    /** PF_MEMALLOC_PIN: allocations lose __GFP_MOVABLE ({@code memalloc_pin_save}, a long-term GUP). */
    private final boolean memallocPin;
    /** FAULT_FLAG_UNSHARE: break COW of a present read-only page without making it writable. */
    private final boolean unshare;
    private Vma vma;
    private int pfn = -1;
    private int retries;
    /** Set for the caller: {@link #OK}, {@link #SIGSEGV}, {@link #SIGBUS}, {@link #OOM} or {@link #HWPOISON}. */
    public int result;

    public HandleMmFault(Memory k, Mm mm, long vpn, boolean write) {
        this(k, mm, vpn, write, false, false);
    }

    /**
     * @param unshare FAULT_FLAG_UNSHARE (never with {@code write}): GUP asks for an exclusive
     *                anonymous copy of a present read-only page in a private file mapping
     * @param memallocPin the fault runs inside {@code memalloc_pin_save} (include/linux/sched/mm.h,
     *                    v6.12), as a FOLL_LONGTERM GUP's faults do: no page it allocates goes to
     *                    ZONE_MOVABLE
     */
    public HandleMmFault(Memory k, Mm mm, long vpn, boolean write, boolean unshare, boolean memallocPin) {
        super("handle_mm_fault");
        if (write && unshare) {
            throw new IllegalArgumentException("FAULT_FLAG_WRITE and FAULT_FLAG_UNSHARE are incompatible");
        }
        this.k = k;
        this.mm = mm;
        this.vpn = vpn;
        this.write = write;
        this.memallocPin = memallocPin;
        this.unshare = unshare;
    }

    /** The frame now mapped at the faulting address (when {@link #result} is OK). */
    public int pfn() {
        return pfn;
    }

    /**
     * {@code handle_mm_fault}'s states, numbered in tens by path as traces have recorded them:
     * the anonymous fault, the file fault, the write to a present shared page, the end of a
     * shared write, the DAX fault, the COW copy of a private file page, and the end.
     */
    private enum Step implements Proc.State {
        FIND_VMA(0),
        DO_ANONYMOUS_PAGE(10), RETRY_ANONYMOUS_ALLOC(11),
        FILEMAP_FAULT(20), RETRY_FILE_ALLOC(21), LOCK_PAGE(22), FILE_PAGE_LOCKED(23),
        WP_PAGE_SHARED(30), WP_PAGE_LOCKED(31), PAGE_MKWRITE(32),
        FINISH_FAULT(40),
        DAX_FAULT(50), RETRY_DAX_COW_ALLOC(51),
        WP_PAGE_COPY(60), RETRY_WP_PAGE_COPY(61), RETRY_COW_FILE_ALLOC(62),
        MAPPED(98), RETURNED(99);

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
            case FIND_VMA: {
                k.vm.count(Vmstat.PGFAULT, 1);
                vma = mm.findVma(vpn);
                if (vma == null || (write && !vma.writable)) {
                    return done(t, SIGSEGV);
                }
                int s = vma.slot(vpn);
                byte pte = vma.pte[s];
                if ((pte & Vma.PTE_HWPOISON) != 0) {
                    return done(t, HWPOISON); // do_swap_page (v6.12): is_hwpoison_entry -> VM_FAULT_HWPOISON
                }
                if ((pte & Vma.PTE_PRESENT) != 0) {
                    pfn = vma.pfn[s];
                    boolean cow = !vma.isAnon() && !vma.shared;
                    if (unshare && cow && (pte & Vma.PTE_WRITE) == 0 && !k.frames.test(pfn, PageFlags.ANON)) {
                        // do_wp_page with FAULT_FLAG_UNSHARE (v6.12): copy, keep the PTE read-only
                        resume(Step.WP_PAGE_COPY);
                        return t.next(k.cost(Cost.PAGE_FAULT));
                    }
                    if (!write || (pte & Vma.PTE_WRITE) != 0) {
                        vma.pte[s] |= Vma.PTE_YOUNG; // spurious fault: someone else fixed it
                        return done(t, OK);
                    }
                    if (cow) {
                        if (k.frames.test(pfn, PageFlags.ANON)) {
                            // do_wp_page -> wp_page_reuse (v6.12): our own COW copy, exclusive
                            // (nothing forks in the model), made writable again
                            vma.pte[s] |= Vma.PTE_WRITE | Vma.PTE_DIRTY | Vma.PTE_YOUNG;
                            k.frames.set(pfn, PageFlags.DIRTY);
                            return done(t, OK);
                        }
                        resume(Step.WP_PAGE_COPY); // do_wp_page -> wp_page_copy (v6.12)
                        return t.next(k.cost(Cost.PAGE_FAULT));
                    }
                    if (!vma.isAnon() && vma.file.mount.dax()) {
                        // do_wp_page -> wp_pfn_shared -> ->pfn_mkwrite -> dax_iomap_fault
                        resume(Step.DAX_FAULT);
                        return t.next(k.cost(Cost.PAGE_FAULT));
                    }
                    if (vma.isAnon()) {
                        return done(t, SIGSEGV); // COW of anonymous memory is not modelled (no fork)
                    }
                    // do_wp_page takes its reference under the PTE lock, with the PTE read
                    k.refs.getPage(pfn);
                    resume(Step.WP_PAGE_SHARED);
                    return t.next(k.cost(Cost.PAGE_FAULT));
                }
                resume(vma.isAnon() ? Step.DO_ANONYMOUS_PAGE
                        : vma.file.mount.dax() ? Step.DAX_FAULT : Step.FILEMAP_FAULT);
                return t.next(k.cost(Cost.PAGE_FAULT));
            }
            case DO_ANONYMOUS_PAGE:
                return anonymousFault(t);
            case RETRY_ANONYMOUS_ALLOC:
                return retryAfterReclaim(t, Step.DO_ANONYMOUS_PAGE);
            case FILEMAP_FAULT:
                return fileFault(t);
            case RETRY_FILE_ALLOC:
                return retryAfterReclaim(t, Step.FILEMAP_FAULT);
            case LOCK_PAGE:
                // the page is locked: by us after insertion (read in flight), or by someone else
                resume(Step.FILE_PAGE_LOCKED);
                return t.call(k.pageLocks.lockPage(pfn));
            case FILE_PAGE_LOCKED:
                return fileFaultLocked(t);
            case WP_PAGE_SHARED:
                // do_wp_page -> wp_page_shared: lock the page, then page_mkwrite
                resume(Step.WP_PAGE_LOCKED);
                return t.call(k.pageLocks.lockPage(pfn));
            case WP_PAGE_LOCKED:
                if (vma.pfn[vma.slot(vpn)] != pfn || k.filemap.fileOf(pfn) != vma.file) {
                    k.pageLocks.unlockPage(pfn); // unmapped meanwhile: fault again from the top
                    k.refs.putPage(pfn);
                    resume(Step.FIND_VMA);
                    return t.next(k.cost(Cost.CPU_STEP));
                }
                return pageMkwrite(t);
            case PAGE_MKWRITE:
                return pageMkwrite(t); // after waiting for a stable page's writeback
            case FINISH_FAULT:
                return finishSharedWrite(t);
            case DAX_FAULT:
                return daxFault(t);
            case RETRY_DAX_COW_ALLOC:
                return retryAfterReclaim(t, Step.DAX_FAULT);
            case WP_PAGE_COPY:
                return wpPageCopy(t);
            case RETRY_WP_PAGE_COPY:
                return retryAfterReclaim(t, Step.FIND_VMA); // the PTE may have changed meanwhile
            case RETRY_COW_FILE_ALLOC:
                return retryAfterReclaim(t, Step.FILEMAP_FAULT);
            case MAPPED:
                return done(t, OK);
            default:
                throw new IllegalStateException("handle_mm_fault: bad pc " + pc);
        }
    }

    /** {@code do_anonymous_page}. */
    private int anonymousFault(Task t) {
        int p = k.pageAlloc.allocUserPage(memallocPin);
        if (p < 0) {
            return reclaimOrOom(t, Step.RETRY_ANONYMOUS_ALLOC);
        }
        pfn = p;
        k.frames.setToken(p, BlockDevice.ZERO);
        k.frames.setOwner(p, -mm.id, (int) vpn); // anon rmap: the owning mm and linear index
        k.frames.set(p, PageFlags.ANON | PageFlags.SWAPBACKED | PageFlags.UPTODATE | (write ? PageFlags.DIRTY : 0));
        k.vm.count(Vmstat.NR_ANON_PAGES, 1);
        k.lru.add(p);
        mapPte(p, write); // the allocation's reference becomes the PTE's
        resume(Step.MAPPED);
        return t.next(k.cost(Cost.PAGE_ZERO));
    }

    /** {@code filemap_fault}: find or read the page, then lock it. */
    private int fileFault(Task t) {
        Inode inode = vma.file;
        int index = vma.fileIndex(vpn);
        if (index >= inode.sizePages) {
            return done(t, SIGBUS);
        }
        int p = inode.mapping.lookup(index);
        if (p == AddressSpace.NONE) {
            // page_cache_ra_unbounded for one page: allocate, insert locked, ->read_folio
            p = k.pageAlloc.allocUserPage(memallocPin);
            if (p < 0) {
                return reclaimOrOom(t, Step.RETRY_FILE_ALLOC);
            }
            k.vm.count(Vmstat.PGMAJFAULT, 1);
            k.filemap.addToPageCache(inode, index, p);
            k.refs.putPage(p); // drop the allocation reference: the cache holds the page now
            int err = inode.mount.sb.readPage(k.filemap.page(p));
            if (err != 0) {
                k.pageLocks.unlockPage(p);
                return done(t, SIGBUS);
            }
        }
        pfn = p;
        k.refs.getPage(p); // the fault's own reference while it works on the page
        resume(Step.LOCK_PAGE);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    private int fileFaultLocked(Task t) {
        Inode inode = vma.file;
        if (k.filemap.fileOf(pfn) != inode || !k.frames.test(pfn, PageFlags.UPTODATE)) {
            // truncated or read failed while we slept: drop it and fault again
            k.pageLocks.unlockPage(pfn);
            k.refs.putPage(pfn);
            resume(Step.FILEMAP_FAULT);
            return t.next(k.cost(Cost.CPU_STEP));
        }
        if (write && vma.shared) {
            return pageMkwrite(t);
        }
        if (write) {
            return doCowFault(t);
        }
        mapPte(pfn, false); // read fault, or a private mapping read: map read-only
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn);
        return done(t, OK);
    }

    /** {@code do_page_mkwrite}: the filesystem's chance to allocate before the page is dirtied. */
    private int pageMkwrite(Task t) {
        Superblock sb = vma.file.mount.sb;
        if (sb.needsPageMkwrite()) {
            if (vma.file.mount.stableWrites() && k.frames.test(pfn, PageFlags.WRITEBACK)) {
                // folio_wait_stable: the page may not change until its write completes
                resume(Step.PAGE_MKWRITE);
                return t.call(k.pageLocks.waitOnPageWriteback(pfn));
            }
            int err = sb.pageMkwrite(k.filemap.page(pfn));
            if (err != 0) {
                    k.pageLocks.unlockPage(pfn);
                k.refs.putPage(pfn);
                return done(t, SIGBUS);
            }
        }
        k.frames.set(pfn, PageFlags.MKWRITE_SEEN);
        resume(Step.FINISH_FAULT);
        return t.next(k.cost(Cost.PAGE_MKWRITE));
    }

    /**
     * {@code dax_iomap_pte_fault}, in one step (the kernel holds the entry lock throughout):
     * the filesystem names the block ({@code ->iomap_begin}; a write allocates a zeroed one),
     * the block's pmem frame becomes the mapping's entry and the PTE maps it. No page lock, no
     * {@code page_mkwrite} buffers, no dirty page: the store lands in the medium itself.
     */
    private int daxFault(Task t) {
        Inode inode = vma.file;
        int index = vma.fileIndex(vpn);
        if (index >= inode.sizePages) {
            return done(t, SIGBUS);
        }
        Superblock sb = inode.mount.sb;
        if (write && !vma.shared) {
            // do_cow_fault -> dax_iomap_fault with vmf->cow_page (dax_fault_cow_page, v6.12): the
            // block's data, or zeroes for a hole, copied into an anonymous page; nothing allocated
            long block = sb.mappedBlock(inode.ino, index);
            long token = block < 0 ? BlockDevice.ZERO : k.frames.token(inode.mount.pmemFrame(block));
            int copy = newAnonCopy(token);
            if (copy < 0) {
                return reclaimOrOom(t, Step.RETRY_DAX_COW_ALLOC);
            }
            pfn = copy;
            mapCopy(copy, true);
            resume(Step.MAPPED);
            return t.next(k.cost(Cost.PAGE_ZERO));
        }
        long cost = k.cost(Cost.CPU_STEP);
        int entry = inode.mapping.lookup(index);
        if (entry == AddressSpace.NONE) {
            long block = sb.mappedBlock(inode.ino, index);
            if (block < 0 && !write) {
                // dax_load_hole: the shared zero page, read-only, until a write allocates a block
                pfn = k.dax.zeroPage();
                mapPte(pfn, false);
                resume(Step.MAPPED);
                return t.next(cost);
            }
            if (block < 0) {
                block = sb.allocateBlock(inode.ino, index); // ->iomap_begin(IOMAP_WRITE | IOMAP_FAULT)
                if (block < 0) {
                    return done(t, SIGBUS);
                }
                k.vm.count(Vmstat.PGMAJFAULT, 1); // IOMAP_F_NEW: VM_FAULT_MAJOR
                cost += k.cost(Cost.PAGE_ZERO);
            }
            entry = inode.mount.pmemFrame(block); // dax_iomap_direct_access
            k.dax.insertEntry(inode, index, entry);
        }
        pfn = entry;
        int s = vma.slot(vpn);
        if ((vma.pte[s] & Vma.PTE_PRESENT) != 0 && vma.pfn[s] != pfn) {
            k.rmap.zapPte(vma, vpn, vma.pfn[s]); // dax_insert_entry: the hole's zero page goes first
        }
        if ((vma.pte[s] & Vma.PTE_PRESENT) != 0) {
            vma.pte[s] |= Vma.PTE_YOUNG | (write ? Vma.PTE_WRITE | Vma.PTE_DIRTY : 0); // dax_fault_iter: mkwrite
        } else {
            mapPte(pfn, write); // vmf_insert_page_mkwrite: the PTE takes a reference and a mapcount
        }
        resume(Step.MAPPED);
        return t.next(cost);
    }

    /** {@code finish_fault} + {@code fault_dirty_shared_page}: writable, dirty PTE; dirty page. */
    private int finishSharedWrite(Task t) {
        int s = vma.slot(vpn);
        if ((vma.pte[s] & Vma.PTE_PRESENT) != 0 && vma.pfn[s] == pfn) {
            vma.pte[s] |= Vma.PTE_WRITE | Vma.PTE_DIRTY | Vma.PTE_YOUNG;
        } else {
            mapPte(pfn, true);
        }
        k.filemap.setPageDirty(pfn);
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn); // the fault's own reference
        return done(t, OK);
    }

    /**
     * {@code do_cow_fault} (mm/memory.c, v6.12), with the file page found, read and locked by
     * {@code filemap_fault}: copy it into a new anonymous page ({@code copy_mc_user_highpage}),
     * map the copy writable ({@code finish_fault}), then unlock and put the file page, which
     * stays clean. Departure: the kernel allocates the copy before {@code __do_fault}; here an
     * allocation that fails lets the file page go, reclaims and faults it again.
     */
    private int doCowFault(Task t) {
        int copy = newAnonCopy(k.frames.token(pfn));
        k.pageLocks.unlockPage(pfn);
        k.refs.putPage(pfn);
        if (copy < 0) {
            return reclaimOrOom(t, Step.RETRY_COW_FILE_ALLOC);
        }
        pfn = copy;
        mapCopy(copy, true);
        return done(t, OK);
    }

    /**
     * {@code wp_page_copy} (mm/memory.c, v6.12) of the page a private file mapping maps
     * read-only (a page-cache page, a DAX block's frame or the zero page): an anonymous copy
     * replaces it in the PTE, writable for a write, read-only for an unshare; the old page
     * loses the PTE's reference and mapcount ({@code folio_remove_rmap_pte}) and stays clean.
     */
    private int wpPageCopy(Task t) {
        int s = vma.slot(vpn);
        int old = vma.pfn[s];
        if ((vma.pte[s] & Vma.PTE_PRESENT) == 0 || old != pfn) {
            resume(Step.FIND_VMA); // the PTE changed since the fault looked: fault again
            return t.next(k.cost(Cost.CPU_STEP));
        }
        int copy = newAnonCopy(k.frames.token(old));
        if (copy < 0) {
            return reclaimOrOom(t, Step.RETRY_WP_PAGE_COPY);
        }
        k.rmap.zapPte(vma, vpn, old); // read-only, so never dirty: the file page stays clean
        pfn = copy;
        mapCopy(copy, !unshare);
        resume(Step.MAPPED);
        return t.next(k.cost(Cost.PAGE_ZERO));
    }

    /**
     * {@code folio_prealloc} + the copy and {@code folio_add_new_anon_rmap} of a COW break: a
     * new anonymous page holding {@code token}, owned by this mm at the faulting page, dirty
     * if written, on the LRU; its allocation reference becomes the PTE's. Returns -1 if no
     * page is free.
     */
    private int newAnonCopy(long token) {
        int p = k.pageAlloc.allocUserPage(memallocPin); // wp_page_copy under memalloc_pin_save: not ZONE_MOVABLE either
        if (p < 0) {
            return -1;
        }
        k.frames.setToken(p, token);
        k.frames.setOwner(p, -mm.id, (int) vpn);
        k.frames.set(p, PageFlags.ANON | PageFlags.SWAPBACKED | PageFlags.UPTODATE | (write ? PageFlags.DIRTY : 0));
        k.vm.count(Vmstat.NR_ANON_PAGES, 1);
        k.lru.add(p);
        return p;
    }

    /**
     * Maps a COW copy from {@link #newAnonCopy}: its allocation reference becomes the PTE's.
     * If another fault mapped the page meanwhile, the copy goes back.
     */
    private void mapCopy(int copy, boolean writable) {
        if (!mapPte(copy, writable, false)) {
            k.refs.putPage(copy);
            pfn = vma.pfn[vma.slot(vpn)];
        }
    }

    /** {@code set_pte_at} + rmap: the PTE holds a reference and a mapcount. */
    private void mapPte(int p, boolean writable) {
        mapPte(p, writable, !vma.isAnon());
    }

    /**
     * As {@link #mapPte(int, boolean)}; {@code takeRef} false when the page's allocation
     * reference becomes the PTE's (a new anonymous page).
     *
     * @return false if the PTE was already present (nothing changed)
     */
    private boolean mapPte(int p, boolean writable, boolean takeRef) {
        int s = vma.slot(vpn);
        if ((vma.pte[s] & Vma.PTE_PRESENT) != 0) {
            return false; // raced with another fault that mapped it
        }
        if (takeRef) {
            k.refs.getPage(p);
        }
        k.frames.addMapcount(p, 1);
        vma.pfn[s] = p;
        vma.pte[s] = (byte) (Vma.PTE_PRESENT | Vma.PTE_YOUNG
                | (writable ? Vma.PTE_WRITE | Vma.PTE_DIRTY : 0));
        return true;
    }

    /** {@code __alloc_pages_direct_reclaim}: reclaim a little ourselves, then retry. */
    private int reclaimOrOom(Task t, Step retry) {
        if (retries++ >= ALLOC_RETRIES) {
            return done(t, OOM);
        }
        k.vm.count(Vmstat.ALLOCSTALL, 1);
        resume(retry);
        return t.call(new ShrinkNode(k.vmscan, 32, false));
    }

    private int retryAfterReclaim(Task t, Step alloc) {
        resume(alloc);
        return t.next(k.cost(Cost.CPU_STEP));
    }

    private int done(Task t, int r) {
        result = r;
        resume(Step.RETURNED);
        return t.ret();
    }
}
