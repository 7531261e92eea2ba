package org.pinlab.kernel.internal.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.fs.FilesystemType;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Watermark;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.block.BlockDevice;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.locking.LockClass;
import org.pinlab.kernel.internal.locking.LockValidator;
import org.pinlab.kernel.internal.locking.PageLocks;
import org.pinlab.kernel.internal.locking.RwSemaphore;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;
import org.pinlab.sim.WaitQueue;

/**
 * One machine's kernel state and the atomic operations its paths are made of: page
 * references, allocation, dirtying and cleaning, reverse mapping, block I/O completion.
 * The multi-step paths (faults, writeback, reclaim, truncate) are {@link Proc}s in this
 * package that call these operations inside their steps.
 */
public final class Kernel {

    final Engine engine;
    final CostTable costs;
    final FrameStore frames;
    final PhysicalMemory phys;
    final Lru lru;
    final LockValidator lockdep;
    final PageLocks pageLocks;
    final Oracles oracles;
    final LockClass mmapLockClass;
    final long[] vmstat = new long[Vmstat.values().length];
    final List<Mount> mounts = new ArrayList<>();
    final List<Inode> inodes = new ArrayList<>();
    final List<Mm> mms = new ArrayList<>();
    /** The kernel log, oldest first, capped at {@link #DMESG_LINES} ({@code printk}'s ring buffer). */
    private final java.util.ArrayDeque<String> dmesg = new java.util.ArrayDeque<>();
    public static final int DMESG_LINES = 1_000;
    /** Attached devices, in attach order. */
    final List<DeviceHost> devices = new ArrayList<>();
    final WaitQueue kswapdWait = new WaitQueue("kswapd_wait");
    final WaitQueue flusherWait = new WaitQueue("wb_wait");
    final PageView pageView = new PageView(this);
    /** Tasks waiting for a page's pins to go ({@code folio_wait_dma_unpinned}, a model-only wait). */
    final WaitQueue unpinWait = new WaitQueue("dma_unpinned");
    /** Pin accounting, or null on a machine built without a pin tracker. */
    PinAccounting pins;
    Choices choices = Choices.kernelDefaults();
    private long nextToken = 1;
    /** While a snapshot writepage runs: the bounce page its bio reads from, else -1. */
    int bounceSource = -1;
    /** Set by a clean shutdown: workload loops exit at their next loop head, holding nothing. */
    boolean shuttingDown;
    /** Set when something asks for writeback sooner than the period (sync, dirty threshold, reclaim). */
    boolean writebackRequested;

    public Kernel(Engine engine, CostTable costs, PhysicalMemory phys, boolean lockdepEnabled) {
        this.engine = engine;
        this.costs = costs;
        this.phys = phys;
        this.frames = new FrameStore((int) phys.layout().totalFrames());
        this.lru = new Lru(frames);
        this.lockdep = new LockValidator(engine, lockdepEnabled);
        this.mmapLockClass = lockdep.mmapLockClass();
        this.pageLocks = new PageLocks(engine, frames, lockdep, costs.ns(Cost.LOCK));
        this.oracles = new Oracles(this);
        inodes.add(null); // inode numbers start at 1
        vmstat[Vmstat.NR_FREE_PAGES.ordinal()] = phys.freeFrames(Zone.NORMAL) + phys.freeFrames(Zone.MOVABLE);
    }

    public Engine engine() {
        return engine;
    }

    /** Uses a pin tracker's accounting for every FOLL_GET and FOLL_PIN grab from now on. */
    public void usePinTracker(PinTracker tracker) {
        if (pins != null && !pins.outstanding().isEmpty()) {
            throw new IllegalStateException("pins are outstanding: the pin layout is fixed for a machine's life");
        }
        pins = tracker.create(new FolioCountersView(this));
    }

    /** The pin accounting; fails clearly on a machine built without a pin tracker. */
    public PinAccounting pins() {
        if (pins == null) {
            throw new IllegalStateException("this machine has no pin tracker: build it with pinTracker(...)");
        }
        return pins;
    }

    /** Whether the machine was built with a pin tracker. */
    public boolean hasPinTracker() {
        return pins != null;
    }

    /** Follows {@code choices} at every decision from now on. */
    public void useChoices(Choices choices) {
        this.choices = choices;
    }


    /** Whether a page may be pinned for DMA ({@code folio_maybe_dma_pinned}); false without a tracker. */
    public boolean maybeDmaPinned(int pfn) {
        return pins != null && pins.maybeDmaPinned(pfn);
    }

    /** Pages the isolate-lru policy took off the LRU while pinned, in isolation order. */
    private final java.util.ArrayDeque<Integer> isolatedPinned = new java.util.ArrayDeque<>();

    /** Takes a pinned page off the LRU until it is unpinned (the page is already isolated). */
    void isolatePinned(int pfn) {
        isolatedPinned.addLast(pfn);
        count(Vmstat.NR_ISOLATED_PINNED, 1);
    }

    /** Blocks whose freeing waits for a page's pins to go (the defer-free truncate policy). */
    private final java.util.List<long[]> deferredFrees = new java.util.ArrayList<>();

    /** Frees {@code inode}'s block at {@code index} once the frame that cached it is unpinned. */
    void deferBlockFree(Inode inode, int index, int pfn) {
        deferredFrees.add(new long[] {inode.ino, index, pfn});
    }

    /** Blocks kept back by defer-free: space the filesystem cannot use yet. */
    public int deferredBlockFrees() {
        return deferredFrees.size();
    }

    /** A folio's references or pins went down: isolated pages return, unpin waiters look again. */
    void pinsDropped(int head) {
        for (int i = deferredFrees.size() - 1; i >= 0; i--) {
            long[] d = deferredFrees.get(i);
            if (d[2] == head && !maybeDmaPinned(head)) {
                Inode inode = inodes.get((int) d[0]);
                inode.mount.sb.freeBlocks(inode.ino, (int) d[1], (int) d[1] + 1);
                deferredFrees.remove(i);
            }
        }
        if (!isolatedPinned.isEmpty() && isolatedPinned.contains(head) && !maybeDmaPinned(head)) {
            isolatedPinned.remove(head);
            count(Vmstat.NR_ISOLATED_PINNED, -1);
            if (!frames.test(head, PageFlags.BUDDY)) {
                lru.add(head); // folio_putback_lru; a page freed meanwhile just leaves the list
            }
        }
        if (!unpinWait.isEmpty()) {
            unpinWait.wakeAll();
        }
    }

    /** Asks every workload loop to exit at its next loop head (processes exiting before sync). */
    public void beginShutdown() {
        shuttingDown = true;
        for (DeviceHost d : devices) {
            d.kick(); // a sleeping device wakes to release its mappings
        }
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    public FrameStore frames() {
        return frames;
    }




    public Oracles oracles() {
        return oracles;
    }

    public PhysicalMemory phys() {
        return phys;
    }

    public long cost(Cost c) {
        return costs.ns(c);
    }

    public long vmstat(Vmstat item) {
        // nr_foll_pin_acquired/released are kept by the pin accounting, one per PAGE_SIZE pinned
        if (item == Vmstat.NR_FOLL_PIN_ACQUIRED && pins != null) {
            return pins.pinsAcquired();
        }
        if (item == Vmstat.NR_FOLL_PIN_RELEASED && pins != null) {
            return pins.pinsReleased();
        }
        return vmstat[item.ordinal()];
    }

    void count(Vmstat item, long delta) {
        long v = vmstat[item.ordinal()] += delta;
        if (item == Vmstat.NR_BOUNCE) {
            metrics.bouncePages(v);
        }
    }

    /** What a run measures beyond vmstat: latencies and peaks. */
    final RunMetrics metrics = new RunMetrics(this);

    public RunMetrics metrics() {
        return metrics;
    }

    public List<Inode> inodes() {
        return inodes.subList(1, inodes.size());
    }

    public Inode inode(int ino) {
        return inodes.get(ino);
    }

    public List<Mm> mms() {
        return mms;
    }

    public List<Mount> mounts() {
        return mounts;
    }

    /** A fresh content token: every write of a page's data stamps one. */
    public long newToken() {
        return nextToken++;
    }

    // ---- setup --------------------------------------------------------------------

    /** {@code do_mount}: mounts a filesystem of this type on a new block device. */
    public Mount mount(String path, FilesystemType type, Map<String, String> options, int blocks) {
        Mount m = new Mount(this, path, new BlockDevice("nvme" + mounts.size() + "n1", blocks));
        m.sb = type.mount(m, options);
        if (m.sb.dax()) {
            daxMount(m); // DAX: the pmem region behind the mount (see the DAX section)
        }
        mounts.add(m);
        return m;
    }

    /** Creates a file of {@code pages} pages, all holes. */
    public Inode createFile(Mount mount, int pages) {
        Inode inode = new Inode(inodes.size(), mount, pages);
        inodes.add(inode);
        oracles.fileCreated(inode);
        return inode;
    }

    /** {@code mm_alloc}: a new address space for a process. */
    public Mm newMm(String owner) {
        Mm mm = new Mm(mms.size() + 1, owner, new RwSemaphore(engine, lockdep, mmapLockClass,
                "mmap_lock(" + owner + ")", costs.ns(Cost.LOCK)));
        mms.add(mm);
        return mm;
    }

    /** {@code do_mmap}: maps a file (shared) or anonymous memory; returns the first virtual page. */
    public Vma mmap(Mm mm, int pages, boolean shared, boolean writable, Inode file, int pgoff) {
        Vma v = new Vma(mm, mm.nextVpn, pages, shared, writable, file, pgoff);
        mm.nextVpn += pages + 16; // a guard gap between mappings
        mm.vmas.add(v);
        if (file != null) {
            file.mapping.mappers.add(v);
        }
        return v;
    }

    /**
     * {@code MAP_POPULATE} for an anonymous VMA, in one go: every page faulted in and
     * written, as gup_test touches its buffer before pinning. With {@code thp} the VMA is
     * backed by order-9 folios mapped by PTEs under PMD leaves ({@link Vma#mapPmdLeaf}),
     * filled folio by folio from its start (the VMA counts as 512-page aligned); a tail
     * shorter than a huge page gets small pages, as the THP fault path falls back to them
     * where no aligned PMD fits the VMA.
     *
     * @throws IllegalStateException if memory runs out
     */
    public void populateAnon(Mm mm, Vma v, boolean thp) {
        if (!v.isAnon()) {
            throw new IllegalArgumentException("populateAnon needs an anonymous VMA");
        }
        int s = 0;
        while (s < v.pages) {
            int order = thp && v.pages - s >= Vma.PMD_NR ? org.pinlab.api.mm.MemoryLayout.HPAGE_PMD_ORDER : 0;
            int n = 1 << order;
            long head = phys.allocPages(Zone.NORMAL, order);
            if (head == PhysicalMemory.NO_PAGE) {
                throw new IllegalStateException("out of memory populating " + v.pages + " pages");
            }
            int h = (int) head;
            count(Vmstat.NR_FREE_PAGES, -n);
            for (int i = 0; i < n; i++) {
                frames.reset(h + i);
            }
            frames.prepCompound(h, order);
            frames.set(h, PageFlags.ANON | PageFlags.SWAPBACKED | PageFlags.UPTODATE | PageFlags.DIRTY);
            frames.setOwner(h, -mm.id, (int) (v.startVpn + s));
            frames.setRefcount(h, n); // one reference per mapping PTE (folio_add_new_anon_rmap)
            frames.addMapcount(h, n);
            count(Vmstat.NR_ANON_PAGES, 1);
            lru.add(h);
            v.splitPmds(s, s + n);
            for (int i = 0; i < n; i++) {
                v.pfn[s + i] = h + i;
                v.pte[s + i] = (byte) (Vma.PTE_PRESENT | Vma.PTE_WRITE | Vma.PTE_DIRTY | Vma.PTE_YOUNG);
                frames.setToken(h + i, newToken());
            }
            if (n == Vma.PMD_NR) {
                v.mapPmdLeaf(s, frames); // do_huge_pmd_anonymous_page: one PMD maps the folio
            }
            s += n;
        }
    }

    /** {@code do_munmap} -> {@code zap_page_range}: every PTE of the VMA goes, then the VMA. */
    public void munmap(Mm mm, Vma v) {
        for (int s = 0; s < v.pages; s++) {
            if ((v.pte[s] & Vma.PTE_PRESENT) != 0) {
                zapPte(v, v.startVpn + s, v.pfn[s]);
            }
        }
        mm.vmas.remove(v);
        if (v.file != null) {
            v.file.mapping.mappers.remove(v);
        }
    }

    // ---- page references ------------------------------------------------------------

    /** {@code get_page} / {@code folio_get}. */
    public void getPage(int pfn) {
        int head = frames.compoundHead(pfn);
        int count = frames.refcount(head);
        if (count <= 0) {
            oracles.useAfterFree(head, "get_page on a free page");
        } else if (count == Integer.MAX_VALUE) {
            // page_ref_inc past INT_MAX wraps negative: the v5.1 overflow the kernel now refuses
            engine.report(FindingKind.REFCOUNT_OVERFLOW, "page refcount overflow: pfn " + head);
            return;
        }
        frames.addRef(head, 1);
    }

    /** {@code put_page} / {@code folio_put}: frees the folio on the last reference. */
    public void putPage(int pfn) {
        putPages(pfn, 1);
    }

    /** {@code folio_put_refs}: drops {@code refs} references at once. */
    public void putPages(int pfn, int refs) {
        int head = frames.compoundHead(pfn);
        int left = frames.addRef(head, -refs);
        if (left < 0) {
            engine.report(FindingKind.REFCOUNT_UNDERFLOW, "page refcount underflow: pfn " + head
                    + " refcount " + left + " (" + PageFlags.describe(frames.flags(head)) + ")");
            frames.setRefcount(head, 0);
        } else if (left == 0) {
            freeFolio(head);
        }
    }

    /** {@code __folio_put} -> {@code free_unref_page}: the frame goes back to the allocator. */
    private void freeFolio(int head) {
        if (frames.test(head, PageFlags.LRU)) {
            lru.remove(head); // __page_cache_release
        }
        int order = frames.folioOrder(head);
        if (frames.test(head, PageFlags.ANON)) {
            count(Vmstat.NR_ANON_PAGES, -1);
        }
        frames.destroyCompound(head);
        frames.reset(head);
        frames.set(head, PageFlags.BUDDY);
        phys.freePages(head, order);
        count(Vmstat.NR_FREE_PAGES, 1L << order);
        oracles.frameFreed(head, order);
    }

    // ---- allocation -----------------------------------------------------------------

    /**
     * {@code get_page_from_freelist} for one page: takes a frame with one reference, or
     * returns -1. Wakes kswapd when free memory falls below the low watermark
     * ({@code wakeup_kswapd}); the caller enters direct reclaim on failure.
     */
    public int allocPage(Zone zone) {
        boolean belowMin = !phys.watermarkOk(zone, 0, Watermark.MIN);
        if (!phys.watermarkOk(zone, 0, Watermark.LOW)) {
            wakeKswapd();
        }
        if (belowMin) {
            return -1; // __alloc_pages_slowpath: below min, reclaim before taking more
        }
        long pfn = phys.allocPages(zone, 0);
        if (pfn == PhysicalMemory.NO_PAGE) {
            return -1;
        }
        int p = (int) pfn;
        frames.reset(p);
        frames.setRefcount(p, 1);
        count(Vmstat.NR_FREE_PAGES, -1);
        oracles.frameAllocated(p);
        return p;
    }

    /**
     * A page for user memory or the page cache ({@code GFP_HIGHUSER_MOVABLE}): the zonelist
     * tries ZONE_MOVABLE first, then ZONE_NORMAL.
     */
    public int allocUserPage() {
        if (phys.layout().movableFrames() > 0) {
            int p = allocPage(Zone.MOVABLE);
            if (p >= 0) {
                return p;
            }
        }
        return allocPage(Zone.NORMAL);
    }

    /**
     * {@code folio_is_longterm_pinnable()}: a page in ZONE_MOVABLE (or CMA) must be migrated
     * out before a FOLL_LONGTERM pin may hold it.
     */
    public boolean isLongtermPinnable(int pfn) {
        return phys.layout().zoneOf(pfn) != Zone.MOVABLE;
    }

    /**
     * {@code migrate_pages} for one small page out of ZONE_MOVABLE, as
     * {@code check_and_migrate_movable_pages} does before a long-term pin: a new page in
     * ZONE_NORMAL takes over the data, flags, private data (buffers move with the page, as
     * {@code buffer_migrate_folio} does), the page-cache slot or anonymous ownership, the
     * PTEs and the LRU place. Departure: done in one atomic step rather than with the old
     * page locked and unmapped across several.
     *
     * @return the new pfn, or -1 if the page is busy (locked, under writeback, or held by
     *         someone beyond its mappings: the kernel's -EAGAIN) or no memory is free
     */
    public int migrateToNormal(int pfn) {
        int mapped = frames.mapcount(pfn);
        boolean priv = frames.test(pfn, PageFlags.PRIVATE);
        boolean anon = frames.test(pfn, PageFlags.ANON);
        Inode inode = fileOf(pfn);
        int expected = mapped + (priv ? 1 : 0) + (inode != null ? 1 : 0) + (anon && mapped == 0 ? 1 : 0);
        if (frames.isLarge(pfn) || frames.test(pfn, PageFlags.LOCKED | PageFlags.WRITEBACK)
                || frames.refcount(pfn) != expected || (inode == null && !anon)) {
            return -1;
        }
        int to = allocPage(Zone.NORMAL);
        if (to < 0) {
            return -1;
        }
        int keep = PageFlags.DIRTY | PageFlags.UPTODATE | PageFlags.PRIVATE | PageFlags.ANON | PageFlags.SWAPBACKED
                | PageFlags.REFERENCED | PageFlags.ACTIVE | PageFlags.MKWRITE_SEEN;
        boolean onLru = frames.test(pfn, PageFlags.LRU);
        if (onLru) {
            lru.remove(pfn);
        }
        frames.set(to, frames.flags(pfn) & keep);
        frames.setToken(to, frames.token(pfn));
        frames.setPriv(to, frames.priv(pfn));
        frames.setOwner(to, frames.mapping(pfn), frames.index(pfn));
        frames.setRefcount(to, expected);
        frames.addMapcount(to, mapped);
        if (inode != null) {
            inode.mapping.replace(frames.index(pfn), to);
        }
        for (Mm mm : mms) {
            for (Vma v : mm.vmas) {
                for (int s = 0; s < v.pages; s++) {
                    if (v.pfn[s] == pfn) {
                        v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                        v.pfn[s] = to; // remove_migration_ptes
                    }
                }
            }
        }
        if (onLru) {
            lru.add(to);
        }
        frames.clear(pfn, keep);
        frames.addMapcount(pfn, -mapped);
        frames.setRefcount(pfn, 1);
        putPage(pfn);
        engine.mix(0x316L ^ ((long) pfn << 24) ^ to);
        return to;
    }

    /** Whether every populated zone is above a watermark ({@code pgdat_balanced}). */
    boolean balanced(Watermark mark) {
        for (Zone z : Zone.values()) {
            if (phys.layout().zoneFrames(z) > 0 && !phys.watermarkOk(z, 0, mark)) {
                return false;
            }
        }
        return true;
    }

    /** {@code wakeup_kswapd}. */
    public void wakeKswapd() {
        kswapdWait.wakeAll();
    }

    /** {@code wakeup_flusher_threads}. */
    public void wakeFlusher() {
        writebackRequested = true;
        flusherWait.wakeAll();
    }

    // ---- page cache -----------------------------------------------------------------

    /** {@code filemap_add_folio}: the page cache takes its own reference; PG_locked is set. */
    void addToPageCache(Inode inode, int index, int pfn) {
        frames.setOwner(pfn, inode.ino, index);
        // a new page, locked for the read in flight: the I/O owns the lock, not the faulting task
        frames.set(pfn, PageFlags.LOCKED);
        inode.mapping.insert(index, pfn);
        frames.addRef(pfn, 1);
        lru.add(pfn);
        count(Vmstat.NR_FILE_PAGES, 1);
    }

    /**
     * {@code __filemap_remove_folio}: the page leaves the page cache; the caller drops the
     * cache's reference.
     */
    void deleteFromPageCache(int pfn) {
        Inode inode = inodes.get(frames.mapping(pfn));
        inode.mapping.delete(frames.index(pfn));
        if (frames.testAndClear(pfn, PageFlags.DIRTY)) {
            count(Vmstat.NR_FILE_DIRTY, -1);
        }
        frames.setOwner(pfn, FrameStore.NO_MAPPING, 0);
        count(Vmstat.NR_FILE_PAGES, -1);
    }

    /** The inode whose page cache holds a frame, or null (anonymous, free, or truncated). */
    public Inode fileOf(int pfn) {
        if (frames.test(pfn, PageFlags.ANON) || frames.test(pfn, PageFlags.BUDDY)) {
            return null;
        }
        int ino = frames.mapping(pfn);
        if (ino <= 0 || ino >= inodes.size()) {
            return null;
        }
        Inode inode = inodes.get(ino);
        return inode.mapping.lookup(frames.index(pfn)) == pfn ? inode : null;
    }

    // ---- dirtying and cleaning --------------------------------------------------------

    /**
     * {@code folio_mark_dirty} -> {@code filemap_dirty_folio}: PG_dirty, the mapping's
     * dirty tag and the inode on the writeback list. Anonymous pages only get PG_dirty.
     *
     * @return true if the page was clean before
     */
    public boolean setPageDirty(int pfn) {
        if (frames.testAndSet(pfn, PageFlags.DIRTY)) {
            return false;
        }
        if (pmem.get(pfn)) {
            return true; // DAX: noop_dirty_folio sets PG_dirty and nothing else (see the DAX section)
        }
        Inode inode = fileOf(pfn);
        metrics.dirtied(pfn);
        if (inode != null) {
            oracles.fileDirtied(inode, pfn);
            inode.mapping.setDirtyTag(frames.index(pfn), true);
            if (inode.mapping.dirtiedWhen < 0) {
                inode.mapping.dirtiedWhen = engine.now();
            }
            count(Vmstat.NR_FILE_DIRTY, 1);
            // balance_dirty_pages: past dirty_background_ratio (10%) the flusher starts at once
            if (vmstat(Vmstat.NR_FILE_DIRTY) * 10 > frames.frames() && !writebackRequested) {
                wakeFlusher();
            }
        }
        engine.mix(0xD1L ^ pfn);
        return true;
    }

    /**
     * {@code folio_clear_dirty_for_io}: write-protects every PTE mapping the page
     * ({@code folio_mkclean}), so the next store faults and reaches {@code page_mkwrite},
     * then clears PG_dirty for writeback.
     *
     * @return true if the page was dirty
     */
    boolean clearPageDirtyForIo(int pfn) {
        Inode inode = fileOf(pfn);
        if (inode != null) {
            pageMkclean(inode, pfn);
            inode.mapping.setDirtyTag(frames.index(pfn), false);
        }
        frames.clear(pfn, PageFlags.MKWRITE_SEEN);
        if (frames.testAndClear(pfn, PageFlags.DIRTY)) {
            if (inode != null) {
                count(Vmstat.NR_FILE_DIRTY, -1);
            }
            return true;
        }
        return false;
    }

    /** {@code folio_mkclean} -> {@code page_mkclean_one}: write-protect and clean every mapping PTE. */
    private void pageMkclean(Inode inode, int pfn) {
        int index = frames.index(pfn);
        for (Vma v : inode.mapping.mappers) {
            int s = v.slotOf(index, pfn);
            if (s >= 0) {
                notifyInvalidate(v, s, false);
                v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                v.pte[s] &= ~(Vma.PTE_WRITE | Vma.PTE_DIRTY);
            }
        }
    }

    /**
     * {@code try_to_unmap}: removes every PTE mapping the page (reverse map through
     * {@code i_mmap} for file pages, the owning VMA for anonymous ones). A dirty PTE passes
     * its dirt to the page ({@code folio_mark_dirty} in {@code try_to_unmap_one}).
     *
     * @return true if the page is no longer mapped
     */
    boolean tryToUnmap(int pfn) {
        Inode inode = fileOf(pfn);
        if (inode != null) {
            int index = frames.index(pfn);
            for (Vma v : inode.mapping.mappers) {
                int s = v.slotOf(index, pfn);
                if (s >= 0) {
                    zapPte(v, v.startVpn + s, pfn);
                }
            }
        }
        return frames.mapcount(pfn) == 0;
    }

    /** {@code zap_pte_range} for one PTE that maps {@code pfn}. */
    void zapPte(Vma v, long vpn, int pfn) {
        int s = v.slot(vpn);
        if (v.pfn[s] != pfn || (v.pte[s] & Vma.PTE_PRESENT) == 0) {
            return;
        }
        notifyInvalidate(v, s, true);
        if ((v.pte[s] & Vma.PTE_DIRTY) != 0) {
            setPageDirty(pfn);
        }
        if ((v.pte[s] & Vma.PTE_YOUNG) != 0) {
            frames.set(pfn, PageFlags.REFERENCED);
        }
        v.splitPmd(s); // __split_huge_pmd (zap_pmd_range zaps a wholly covered huge PMD at once)
        v.pfn[s] = AddressSpace.NONE;
        v.pte[s] = 0;
        frames.addMapcount(frames.compoundHead(pfn), -1); // a PTE-mapped THP counts on its head
        putPage(pfn);
    }

    /** {@code folio_referenced}: clears and reports the young bits of the page's PTEs. */
    boolean clearYoungPtes(int pfn) {
        boolean young = false;
        Inode inode = fileOf(pfn);
        if (inode != null) {
            int index = frames.index(pfn);
            for (Vma v : inode.mapping.mappers) {
                int s = v.slotOf(index, pfn);
                if (s >= 0 && (v.pte[s] & Vma.PTE_YOUNG) != 0) {
                    v.splitPmd(s); // split_huge_pmd before one subpage's entry changes
                    v.pte[s] &= ~Vma.PTE_YOUNG;
                    young = true;
                }
            }
        }
        return young;
    }

    /** {@code printk}: a timestamped line in the kernel log; the oldest go when the ring is full. */
    public void log(String line) {
        if (dmesg.size() == DMESG_LINES) {
            dmesg.removeFirst();
        }
        long us = engine.now() / 1_000;
        dmesg.addLast(String.format(java.util.Locale.ROOT, "[%6d.%06d] %s", us / 1_000_000, us % 1_000_000, line));
    }

    /** The kernel log, oldest first. */
    public List<String> dmesg() {
        return List.copyOf(dmesg);
    }

    // ---- devices ------------------------------------------------------------------

    /**
     * A buffer for devices: pages [offset, offset + pages) of a VMA.
     *
     * @throws IllegalArgumentException if the range does not fit the VMA
     */
    public UserRange userBuffer(String name, Mm mm, Vma vma, int offset, int pages) {
        return new UserRange(name, mm, vma, offset, pages);
    }

    /**
     * Attaches a device ({@code ->probe}) and starts its task at once. The device type parses
     * its parameters first, so a bad one throws and nothing is attached.
     *
     * @throws IllegalArgumentException for a duplicate name or a bad parameter
     */
    public DeviceHost attachDevice(org.pinlab.api.device.DeviceType type, String name, Map<String, String> params,
                                   List<org.pinlab.api.device.UserBuffer> buffers) {
        for (DeviceHost d : devices) {
            if (d.name().equals(name)) {
                throw new IllegalArgumentException("a device named " + name + " is already attached");
            }
        }
        DeviceHost host = new DeviceHost(this, name, buffers, engine.random().split());
        host.bind(type.create(host, params));
        devices.add(host);
        engine.spawn(name, host, 0);
        return host;
    }

    /** The attached devices, in attach order. */
    public List<DeviceHost> devices() {
        return java.util.Collections.unmodifiableList(devices);
    }

    /**
     * The driver went away ({@code ->remove}): the device releases everything it maps, dirtying
     * what it could write, and its task ends.
     */
    public void detachDevice(String name) {
        for (DeviceHost d : devices) {
            if (d.name().equals(name)) {
                d.detach();
                return;
            }
        }
        throw new IllegalArgumentException("no device named " + name);
    }

    /** Asks every device holding {@code pfn} to give it back; true if one will. */
    boolean revokePins(int pfn) {
        boolean any = false;
        for (int i = 0; i < devices.size(); i++) {
            any |= devices.get(i).revoke(pfn);
        }
        return any;
    }

    /** {@code mmu_notifier_invalidate_range_start} for one PTE of a VMA about to change. */
    private void notifyInvalidate(Vma v, int slot, boolean unmap) {
        if (v.watched == null) {
            return;
        }
        for (UserRange r : v.watched) {
            for (int i = 0; i < r.watchers.size(); i++) {
                r.watchers.get(i).invalidate(r, slot, unmap);
            }
        }
    }

    /**
     * A device writes one page by physical address (DMA): no fault, no {@code page_mkwrite},
     * nothing the filesystem can see. The data counts as file data if the frame is a file
     * page right now; a frame back in the allocator is a use after free.
     *
     * @return the token written
     */
    public long dmaWrite(int pfn) {
        if (frames.test(pfn, PageFlags.BUDDY)) {
            oracles.useAfterFree(pfn, "DMA write");
        }
        daxCheckDmaWrite(pfn); // DAX: a write into a block truncate freed (see the DAX section)
        long token = newToken();
        frames.setToken(pfn, token);
        Inode inode = fileOf(pfn);
        if (inode != null) {
            oracles.fileDataWritten(inode, frames.index(pfn), token);
        }
        engine.mix(token ^ ((long) pfn << 24));
        return token;
    }

    // ---- block I/O ------------------------------------------------------------------

    /** {@code submit_bio(REQ_OP_WRITE)}: the device takes a snapshot of the page's data when it completes. */
    void submitWrite(Mount m, int pfn, long block) {
        if (bounceSource >= 0) {
            submitBounceWrite(m, pfn, bounceSource, block);
            return;
        }
        long snapshot = frames.token(pfn);
        Inode inode = fileOf(pfn);
        int index = frames.index(pfn);
        count(Vmstat.PGPGOUT, 1);
        engine.spawn("irq/" + m.device.name(), new Proc("blk_mq_complete_request") {
            @Override
            protected int step(Task task) {
                // end_bio_bh_io_sync -> end_page_writeback: what reaches the medium is what the
                // page held when the write was issued; a change since then tears the block
                long now = frames.token(pfn);
                long stored = snapshot;
                if (now != snapshot && m.sb.stableWrites()) {
                    oracles.tornWrite(inode, index, pfn);
                    stored = snapshot ^ now ^ 0x70A2L; // neither version: the block is torn
                }
                m.device.store(block, stored);
                oracles.blockWritten(m, inode, index, block, stored);
                endPageWriteback(pfn);
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** A write whose data comes from a stable bounce copy: the page itself is not under writeback. */
    private void submitBounceWrite(Mount m, int pfn, int bounce, long block) {
        long data = frames.token(bounce);
        Inode inode = fileOf(pfn);
        int index = frames.index(pfn);
        count(Vmstat.PGPGOUT, 1);
        if (inode != null) {
            inode.mapping.bounceInFlight++;
        }
        engine.spawn("irq/" + m.device.name(), new Proc("blk_mq_complete_request") {
            @Override
            protected int step(Task task) {
                m.device.store(block, data); // the copy cannot change under the I/O: never torn
                oracles.blockWritten(m, inode, index, block, data);
                count(Vmstat.NR_BOUNCE, -1);
                putPage(bounce);
                if (inode != null && --inode.mapping.bounceInFlight == 0) {
                    inode.mapping.bounceWait.wakeAll();
                }
                return task.ret();
            }
        }, costs.ns(Cost.BLOCK_WRITE));
    }

    /** {@code submit_bio(REQ_OP_READ)}: fills the page at completion and unlocks it. */
    void submitRead(Mount m, int pfn, long block) {
        count(Vmstat.PGPGIN, 1);
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

    /** A hole reads as zeroes: {@code folio_zero_range} + {@code folio_mark_uptodate}, then unlock. */
    void zeroFill(int pfn) {
        frames.setToken(pfn, BlockDevice.ZERO);
        frames.set(pfn, PageFlags.UPTODATE);
        unlockPage(pfn);
    }

    /** {@code folio_end_writeback}: PG_writeback cleared, waiters woken. */
    void endPageWriteback(int pfn) {
        metrics.cleaned(pfn);
        Inode inode = fileOf(pfn);
        if (inode != null) {
            inode.mapping.setWritebackTag(frames.index(pfn), false);
        }
        count(Vmstat.NR_WRITEBACK, -1);
        frames.clear(pfn, PageFlags.RECLAIM);
        pageLocks.endPageWriteback(pfn);
    }

    /** {@code folio_unlock} on behalf of the running task. */
    void unlockPage(int pfn) {
        pageLocks.unlockPage(pfn);
    }

    /** {@code folio_trylock} on behalf of the running task. */
    boolean trylockPage(int pfn) {
        return pageLocks.trylockPage(engine.current(), pfn);
    }

    // ---- BUG and WARN ---------------------------------------------------------------

    void bug(String function, String message) {
        engine.report(FindingKind.BUG, message, function);
    }

    void warn(String function, String message) {
        engine.report(FindingKind.WARN, message, function);
    }

    /** The flyweight page view handed to filesystem callbacks. */
    PageView page(int pfn) {
        return pageView.at(pfn);
    }

    // ---- DAX ----------------------------------------------------------------------
    // fs/dax.c and the pmem driver. A DAX mount's blocks are the frames of a pmem region, and
    // its file pages are those frames: no page cache page, no LRU, no dirty tag, no writeback.
    // The paths branch on Mount.dax(): HandleMmFault (dax_iomap_fault), GetUserPages
    // (vma_is_fsdax), TruncatePages (dax_layout_busy_page_range), Fsync
    // (dax_writeback_mapping_range). Above, mount, setPageDirty and dmaWrite call in here.

    /** The frames of every DAX mount's pmem region (ZONE_DEVICE pages): never freed, never on the LRU. */
    final java.util.BitSet pmem = new java.util.BitSet();
    /** {@code ZERO_PAGE(0)}: what a read fault on a DAX hole maps; -1 until the first DAX mount. */
    private int zeroPage = -1;
    /** Grabs that held a pmem frame when truncate freed its block anyway (the proceed policy), oldest first. */
    private final List<StaleDaxGrab> staleDaxGrabs = new ArrayList<>();

    /** A grab on a frame whose block was freed under it: its pin record's id, or -1 for a reference no record names. */
    private record StaleDaxGrab(int pfn, long pinId, String owner) {
    }

    /**
     * {@code memmap=nn!ss} + {@code devm_memremap_pages}: carves the mount's pmem region out of
     * RAM, one frame per block, each holding the pagemap's own reference (a DAX page is idle at
     * refcount 1, {@code dax_layout_busy_page}). Departures: carved at mount rather than at
     * boot, one frame at a time (not contiguous), and from ZONE_NORMAL, as pmem is ZONE_DEVICE
     * and never movable, so long-term pins need no migration; the watermarks still count it.
     *
     * @throws IllegalArgumentException if free memory cannot hold a region of that many blocks
     *         (a mount request too big for the machine); nothing is kept then
     */
    private void daxMount(Mount m) {
        if (zeroPage < 0) {
            int z = allocPage(Zone.NORMAL);
            if (z < 0) {
                throw new IllegalArgumentException(m.path + ": no memory for the zero page");
            }
            frames.setToken(z, BlockDevice.ZERO);
            frames.set(z, PageFlags.UPTODATE);
            zeroPage = z;
        }
        int[] region = new int[(int) m.device.size()];
        for (int b = 0; b < region.length; b++) {
            int p = allocPage(Zone.NORMAL);
            if (p < 0) {
                for (int i = 0; i < b; i++) {
                    pmem.clear(region[i]);
                    putPage(region[i]);
                }
                throw new IllegalArgumentException(m.path + ": " + region.length
                        + " blocks of pmem do not fit in free memory");
            }
            region[b] = p;
            pmem.set(p);
            frames.setToken(p, BlockDevice.ZERO);
        }
        m.pmem = region;
    }

    /** {@code dax_load_hole}: the shared zero page a read of a DAX hole maps read-only. */
    int daxZeroPage() {
        return zeroPage;
    }

    /** {@code dax_insert_entry} + {@code dax_associate_entry}: the frame becomes file page {@code index}. */
    void daxInsertEntry(Inode inode, int index, int pfn) {
        inode.mapping.insert(index, pfn);
        frames.setOwner(pfn, inode.ino, index);
    }

    /** {@code dax_delete_mapping_entry} + {@code dax_disassociate_entry}: the frame leaves the file. */
    void daxDeleteEntry(Inode inode, int index, int pfn) {
        inode.mapping.delete(index);
        frames.setOwner(pfn, FrameStore.NO_MAPPING, 0);
        frames.clear(pfn, PageFlags.DIRTY);
    }

    /**
     * {@code dax_busy_page}: referenced beyond the pagemap's own reference and its PTEs. Once
     * {@code unmap_mapping_range} ran, that is the kernel's {@code page_ref_count(page) > 1}:
     * any GUP reference counts, FOLL_GET or FOLL_PIN, short-term or long-term.
     */
    boolean daxBusy(int pfn) {
        return frames.refcount(pfn) > 1 + frames.mapcount(pfn);
    }

    /**
     * Truncate frees the block of a busy pmem frame anyway (the proceed policy, as before
     * v4.17's dax_layout_busy_page): every grab holding the frame now points into a free
     * block that the filesystem may hand to another file.
     */
    void daxFreedWhileBusy(int pfn) {
        boolean named = false;
        if (pins != null) {
            for (org.pinlab.api.gup.PinRecord r : pins.outstanding()) {
                for (int p : r.pfns()) {
                    if (p == pfn) {
                        staleDaxGrabs.add(new StaleDaxGrab(pfn, r.id(), "pin#" + r.id() + " of " + r.owner()));
                        named = true;
                        break;
                    }
                }
            }
        }
        if (!named) {
            staleDaxGrabs.add(new StaleDaxGrab(pfn, -1, "an untracked reference"));
        }
    }

    /**
     * A device writes a pmem frame: into a free block, or into a block the filesystem gave
     * away while a grab from before the truncate still held it, is a use after free. Departure:
     * the model cannot tell which grab a DMA write comes through, so while a stale grab
     * lasts, a write through a new pin of the reallocated block is reported too.
     */
    private void daxCheckDmaWrite(int pfn) {
        if (!pmem.get(pfn)) {
            return;
        }
        StaleDaxGrab stale = staleDaxGrab(pfn);
        Inode now = fileOf(pfn);
        if (stale != null) {
            oracles.useAfterFree(pfn, "DMA write through " + stale.owner() + ", held across the truncate that freed"
                    + " its block" + (now != null ? " (now inode " + now.ino + " page " + frames.index(pfn) + ")" : ""));
        } else if (now == null && !daxFreeDeferred(pfn)) {
            oracles.useAfterFree(pfn, "DMA write into a free pmem block");
        }
    }

    /** The oldest stale grab still outstanding on {@code pfn}, dropping the ones released meanwhile. */
    private StaleDaxGrab staleDaxGrab(int pfn) {
        StaleDaxGrab found = null;
        for (int i = staleDaxGrabs.size() - 1; i >= 0; i--) {
            StaleDaxGrab g = staleDaxGrabs.get(i);
            boolean live = g.pinId() >= 0 ? outstandingPin(g.pinId()) : daxBusy(g.pfn());
            if (!live) {
                staleDaxGrabs.remove(i);
            } else if (g.pfn() == pfn) {
                found = g;
            }
        }
        return found;
    }

    private boolean outstandingPin(long id) {
        for (org.pinlab.api.gup.PinRecord r : pins.outstanding()) {
            if (r.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** Whether defer-free keeps the block of this (truncated) frame until its pins go. */
    private boolean daxFreeDeferred(int pfn) {
        for (long[] d : deferredFrees) {
            if (d[2] == pfn) {
                return true;
            }
        }
        return false;
    }
}
