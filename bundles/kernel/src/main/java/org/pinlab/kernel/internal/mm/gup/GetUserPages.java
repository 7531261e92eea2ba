package org.pinlab.kernel.internal.mm.gup;

import java.util.function.IntPredicate;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.memory.HandleMmFault;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code __get_user_pages()}: with {@code mmap_lock} held for read, walks the page table
 * for each page of a user range ({@code follow_page_pte}); a page that is absent, or
 * read-only when {@code FOLL_WRITE} asks to write, is faulted in ({@code faultin_page} ->
 * {@code handle_mm_fault}, which reaches {@code page_mkwrite} for shared file pages) and the
 * walk retries it. Each page found is handed to {@code grab} ({@code try_grab_folio}:
 * FOLL_GET takes a reference, FOLL_PIN a pin). A walk that stops part-way (a refused grab, a
 * failed fault, a VMA refused or missing) returns how many pages it took, or the errno if it
 * took none.
 * An accounted walk takes a run of one large folio's subpages in one step and one grab,
 * as the kernel does for a huge page ({@code page_increm}). A FOLL_LONGTERM walk is
 * {@code __gup_longterm_locked}'s loop: once the range is pinned, folios in ZONE_MOVABLE are
 * migrated out with every pin dropped ({@link CheckAndMigrateMovable}), and the walk starts over.
 */
public final class GetUserPages extends Proc {

    private final Gup k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final boolean write;
    /** Grabs {@code refs} consecutive subpages of one folio from {@code pfn}: 0, or a negated errno. */
    private final FolioGrab grab;
    /** Whether a run of one folio's subpages is grabbed at once (accounted walks), else page by page. */
    private final boolean folioRuns;
    private final int foll;
    private final String owner;
    private final int[] pages;
    /** Whether {@link #pages} is the caller's, which the record then keeps instead of a copy. */
    private final boolean callersPages;
    private Vma admitted;
    private PinRecord record;
    /** Whether a successful accounted grab records itself (the fast path records the whole range). */
    private boolean recordIt = true;
    private int i;
    private HandleMmFault fault;
    private CheckAndMigrateMovable check;
    private int longtermRetries;
    /** Pages grabbed (all of them, or those before the page the walk stopped at), or a negative errno if none. */
    public int result;

    /**
     * @param grab called with each page's pfn inside the walk's step; returns false to refuse
     */
    public GetUserPages(Gup k, Mm mm, long startVpn, int nrPages, boolean write, IntPredicate grab) {
        this(k, mm, startVpn, nrPages, write ? Foll.WRITE : 0, null,
                (pfn, refs, hugePmd) -> grab.test(pfn) ? 0 : Errno.ENOMEM.negative(), false, null);
    }

    @FunctionalInterface
    private interface FolioGrab {
        /** 0, or a negated errno; {@code hugePmd} when the run was found under a huge PMD leaf. */
        int grab(int pfn, int refs, boolean hugePmd);
    }

    private GetUserPages(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner, FolioGrab grab,
                         boolean folioRuns, int[] pages) {
        super("__get_user_pages");
        if (nrPages < 1) {
            throw new IllegalArgumentException("GUP of " + nrPages + " pages");
        }
        if (pages != null && pages.length != nrPages) {
            throw new IllegalArgumentException("GUP of " + nrPages + " pages into a pages[] of " + pages.length);
        }
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.write = (foll & Foll.WRITE) != 0;
        this.foll = foll;
        this.owner = owner;
        this.grab = grab;
        this.folioRuns = folioRuns;
        this.callersPages = pages != null;
        this.pages = pages != null ? pages : new int[nrPages];
    }

    /**
     * {@code get_user_pages} / {@code pin_user_pages} through the machine's pin accounting:
     * every page is grabbed with {@code foll} ({@code try_grab_folio}, once per run of one
     * folio's subpages), and what was taken is recorded against {@code owner}: the whole
     * range, or the pages before a failure part-way, which the call returns the number of.
     *
     * @throws IllegalArgumentException for flags {@code is_valid_gup_args} rejects
     */
    public static GetUserPages accounted(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner) {
        return accounted(k, mm, startVpn, nrPages, foll, owner, null);
    }

    /**
     * As {@link #accounted(Gup, Mm, long, int, int, String)}, with the caller's
     * {@code pages[]} as the kernel's callers pass it: the call fills it and its record keeps
     * it (no copy), so the caller leaves it as filled until the record is released.
     *
     * @param pages {@code nrPages} entries, or null for an array of the call's own
     */
    public static GetUserPages accounted(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner,
                                         int[] pages) {
        Foll.validate(foll);
        PinAccounting pins = k.pins.accounting();
        return new GetUserPages(k, mm, startVpn, nrPages, foll, owner,
                (pfn, refs, hugePmd) -> hugePmd ? pins.tryGrabHugePmd(pfn, refs, foll, false)
                        : pins.tryGrabFolio(pfn, refs, foll), true, pages);
    }

    /** As {@link #accounted}, but leaves recording to the caller ({@code gup_fast}'s fallback). */
    static GetUserPages accountedUnrecorded(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner) {
        GetUserPages g = accounted(k, mm, startVpn, nrPages, foll, owner);
        g.recordIt = false;
        return g;
    }

    /** The record of an accounted grab that succeeded, else null. */
    public PinRecord record() {
        return record;
    }

    /**
     * Model-only: how often this call pinned its range again after migrating folios out of
     * ZONE_MOVABLE ({@code __gup_longterm_locked}'s -EAGAIN loop; the kernel keeps no count).
     */
    public int longtermRetries() {
        return longtermRetries;
    }

    /** The frames grabbed, in address order ({@code pages[]}). */
    public int[] pages() {
        return pages;
    }

    /**
     * {@code __get_user_pages}: lock, then {@code follow_page_mask} per page, faulting in what is
     * missing; for FOLL_LONGTERM, {@code __gup_longterm_locked}'s return from a migration.
     */
    private enum Step implements Proc.State { MMAP_READ_LOCK, FOLLOW_PAGE, FAULTIN_PAGE_RETURNED, LONGTERM_MIGRATED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case MMAP_READ_LOCK:
                resume(Step.FOLLOW_PAGE);
                return t.call(mm.mmapLock.downRead()); // mmap_read_lock
            case FOLLOW_PAGE: {
                if (i == nrPages) {
                    return complete(t, nrPages);
                }
                long vpn = startVpn + i;
                Vma v = mm.findVma(vpn);
                if (v == null) {
                    return stop(t, Errno.EFAULT.negative()); // find_vma: nothing mapped here
                }
                if ((foll & Foll.LONGTERM) != 0 && !v.isAnon() && v.file.mount.sb.refusesLongtermPins()) {
                    // check_vma_flags: vma_is_fsdax, before any fault; DAX blocks cannot be pinned for ever
                    return stop(t, Errno.EOPNOTSUPP.negative());
                }
                if (owner != null && v != admitted) {
                    // check_vma_flags (mm/gup.c, v6.5): once per VMA, before follow_page_mask and
                    // faultin_page, so a refused pin faults nothing in and never reaches page_mkwrite
                    int err = k.choices.admission().admit(foll, mappingKind(v));
                    if (err != 0) {
                        return stop(t, err);
                    }
                    admitted = v;
                }
                int s = v.slot(vpn);
                byte pte = v.pte[s];
                boolean usable = (pte & Vma.PTE_PRESENT) != 0 && (!write || (pte & Vma.PTE_WRITE) != 0);
                boolean unshare = usable && mustUnshare(v, s);
                if (!usable || unshare) {
                    // faultin_page; -EMLINK from follow_page_pte asks for FAULT_FLAG_UNSHARE;
                    // memalloc_pin_save (v6.12): a long-term GUP's faults allocate outside ZONE_MOVABLE
                    fault = new HandleMmFault(k.memory, mm, vpn, write, unshare, (foll & Foll.LONGTERM) != 0);
                    resume(Step.FAULTIN_PAGE_RETURNED);
                    return t.call(fault);
                }
                int pfn = v.pfn[s];
                // follow_huge_pmd: sets ctx.page_mask, and __get_user_pages takes the huge page's
                // remaining subpages in the range (page_increm) in the same iteration.
                // Departures: one try_grab_folio(folio, page_increm) where the kernel grabs the
                // first subpage in follow_huge_pmd and page_increm - 1 right after: the same
                // counts, but a refused run takes nothing here (with the grab's errno), where the kernel puts
                // its first subpage back and fails with -EFAULT. And any run of one folio's
                // subpages mapped in a row is batched, PMD-mapped or not, as GupFast does; only
                // a PMD leaf's is taken without reading its PTEs.
                int leaf = folioRuns ? pmdLeafRun(k, v, s, nrPages - i) : 0;
                int n = leaf > 0 ? leaf : folioRuns ? pteRun(k, v, s, nrPages - i, write) : 1;
                // follow_trans_huge_pmd for a huge PMD leaf, else follow_page_pte; the grab's
                // errno is what __get_user_pages returns (-ENOMEM from try_grab_folio, or the
                // -EOVERFLOW of the 2019 RFC's get_gup_pin_page)
                int err = grab.grab(pfn, n, leaf > 0);
                if (err != 0) {
                    return stop(t, err);
                }
                if (leaf > 0) {
                    // FOLL_TOUCH on a PMD leaf (touch_pmd): already dirty and young, nothing to do;
                    // pages[] is still filled subpage by subpage
                    recordSubpages(pages, i, pfn, n);
                    i += n;
                } else {
                    for (int j = 0; j < n; j++, i++) {
                        pages[i] = pfn + j;
                        // FOLL_TOUCH: follow_page_pte dirties the page early for a write
                        // (the "mark it dirty early" of seed 003) and marks it accessed
                        if (write && (v.pte[s + j] & Vma.PTE_DIRTY) == 0) {
                            k.filemap.setPageDirty(pfn + j);
                        }
                        v.pte[s + j] |= Vma.PTE_YOUNG;
                    }
                }
                // charged per subpage: the kernel's loop still fills pages[] and flushes the
                // caches subpage by subpage (flush_anon_page, flush_dcache_page)
                return t.next(n * k.cost(Cost.CPU_STEP));
            }
            case LONGTERM_MIGRATED:
                if (check.result == Errno.EAGAIN.negative()) {
                    // __gup_longterm_locked: migrated, everything unpinned: pin the whole range again
                    longtermRetries++;
                    k.vm.count(Vmstat.GUP_LONGTERM_RETRIES, 1);
                    check = null;
                    i = 0;
                    admitted = null;
                    resume(Step.FOLLOW_PAGE);
                    return t.call(mm.mmapLock.downRead());
                }
                result = check.result; // the migration failed; it left nothing pinned
                i = 0;
                return t.ret();
            case FAULTIN_PAGE_RETURNED:
                if (fault.result != HandleMmFault.OK) {
                    return stop(t, vmFaultToErrno(fault.result, foll));
                }
                resume(Step.FOLLOW_PAGE); // retry the page: follow_page_pte again
                return t.next(k.cost(Cost.CPU_STEP));
            default:
                throw new IllegalStateException("__get_user_pages: bad pc " + pc);
        }
    }

    /**
     * {@code vm_fault_to_errno} (include/linux/mm.h, v6.12), as {@code faultin_page} applies it:
     * VM_FAULT_OOM is -ENOMEM; VM_FAULT_HWPOISON is -EHWPOISON if the caller asked with
     * FOLL_HWPOISON, else -EFAULT; VM_FAULT_SIGBUS and VM_FAULT_SIGSEGV are -EFAULT.
     */
    static int vmFaultToErrno(int fault, int foll) {
        return switch (fault) {
            case HandleMmFault.OOM -> Errno.ENOMEM.negative();
            case HandleMmFault.HWPOISON -> (foll & Foll.HWPOISON) != 0 ? Errno.EHWPOISON.negative()
                    : Errno.EFAULT.negative();
            case HandleMmFault.SIGBUS, HandleMmFault.SIGSEGV -> Errno.EFAULT.negative();
            default -> throw new IllegalArgumentException("not a fault error: " + fault);
        };
    }

    /**
     * {@code gup_must_unshare} (mm/internal.h, v6.12) for a present PTE that is not writable:
     * a read-only long-term pin of a page-cache page in a private (COW) mapping must break
     * COW first, or the pin would not see the process's later writes. An anonymous page
     * needs no unshare here: nothing forks in the model, so every one is exclusive
     * ({@code PageAnonExclusive}).
     */
    private boolean mustUnshare(Vma v, int s) {
        if ((foll & (Foll.WRITE | Foll.PIN | Foll.LONGTERM)) != (Foll.PIN | Foll.LONGTERM)) {
            return false;
        }
        if (v.isAnon() || v.shared || (v.pte[s] & Vma.PTE_WRITE) != 0) {
            return false;
        }
        return !k.frames.test(v.pfn[s], PageFlags.ANON);
    }

    /**
     * The walk stops at page {@code i} with {@code err}: {@code __get_user_pages} (v6.12) ends
     * with {@code return i ? i : ret;}, the pages it pinned if it pinned any, else the errno.
     * An accounted walk that pinned some goes on as a complete walk of those {@code i} pages
     * (the long-term check, the record); the caller unpins them.
     */
    private int stop(Task t, int err) {
        if (i == 0) {
            return finish(t, err);
        }
        return owner != null ? complete(t, i) : finish(t, i);
    }

    /**
     * The walk has pinned {@code pages[0 .. n)}: for FOLL_LONGTERM, {@code __gup_longterm_locked}
     * checks them and may migrate and retry; then the range pinned is recorded and returned.
     */
    private int complete(Task t, int n) {
        if (owner != null && (foll & Foll.LONGTERM) != 0) {
            // __gup_longterm_locked (mm/gup.c, v6.12): the pages are pinned; are all their folios
            // longterm-pinnable? If not, unpin all and migrate, outside mmap_lock as
            // __get_user_pages_locked drops the lock it took
            check = CheckAndMigrateMovable.collect(k, pages, n, foll);
            if (check != null) {
                mm.mmapLock.upRead(t);
                resume(Step.LONGTERM_MIGRATED);
                return t.call(check);
            }
        }
        if (owner != null && recordIt) {
            // the caller's pages[] is the record's; our own is handed out by pages(), so copied.
            // A short walk records the pages it pinned, in a copy of their own
            int[] pinned = firstPages(pages, n);
            record = callersPages || n < nrPages ? k.pins.accounting().recordInPlace(owner, pinned, foll)
                    : k.pins.accounting().record(owner, pinned, foll);
        }
        return finish(t, n);
    }

    /**
     * How many PTEs from slot {@code s} of {@code v} map consecutive subpages of one folio in a
     * row, usable for the access (present, and writable for a write), at most {@code max}: 1
     * for a small page. A PMD leaf's run is taken without reading its PTEs, which all qualify.
     */
    static int folioRun(Gup k, Vma v, int s, int max, boolean write) {
        int leaf = pmdLeafRun(k, v, s, max);
        return leaf > 0 ? leaf : pteRun(k, v, s, max, write);
    }

    /** {@link #folioRun} under no PMD leaf: the PTEs read one by one. */
    static int pteRun(Gup k, Vma v, int s, int max, boolean write) {
        int pfn = v.pfn[s];
        if (!k.frames.isLarge(pfn)) {
            return 1;
        }
        int head = k.frames.compoundHead(pfn);
        // the folio's subpages are head .. head + 2^order - 1: membership is arithmetic
        int limit = Math.min(max, Math.min(v.pages - s, head + (1 << k.frames.folioOrder(head)) - pfn));
        byte need = (byte) (write ? Vma.PTE_PRESENT | Vma.PTE_WRITE : Vma.PTE_PRESENT);
        int n = 1;
        while (n < limit && v.pfn[s + n] == pfn + n && (v.pte[s + n] & need) == need) {
            n++;
        }
        return n;
    }

    /**
     * The first {@code n} entries of {@code pages}: the array itself if that is all of it, else
     * a copy of its own for the record of a call that came back short.
     */
    static int[] firstPages(int[] pages, int n) {
        return n == pages.length ? pages : java.util.Arrays.copyOf(pages, n);
    }

    /**
     * {@code record_subpages}: {@code pages[at .. at + n)} get the {@code n} subpages from
     * {@code pfn}, as the kernel's loop fills them one by one.
     */
    static void recordSubpages(int[] pages, int at, int pfn, int n) {
        for (int j = 0; j < n; j++) {
            pages[at + j] = pfn + j;
        }
    }

    /**
     * {@code gup_fast_pmd_leaf} / {@code follow_huge_pmd}: if slot {@code s} of {@code v} is
     * under a PMD leaf, the subpages from it to the leaf's end, at most {@code max}, all
     * present, writable, dirty and young; else 0. One look at the leaf instead of 512 PTEs.
     */
    static int pmdLeafRun(Gup k, Vma v, int s, int max) {
        int pfn = v.pfn[s];
        if (pfn < 0 || !k.frames.isLarge(pfn)) {
            return 0;
        }
        int f = s - (pfn - k.frames.compoundHead(pfn)); // where the folio's first subpage is mapped
        if (!v.isPmdLeaf(f)) {
            return 0;
        }
        // a stale leaf would be a bug: the tests run with assertions on, and check every leaf used
        assert v.pmdLeafHolds(f, k.frames) : "stale PMD leaf at slot " + f + " of the VMA at " + v.startVpn;
        return Math.min(max, f + Vma.PMD_NR - s);
    }

    /**
     * Gives back the first {@code n} grabs of a failed GUP call ({@code unpin_user_pages}, or
     * {@code put_page} for FOLL_GET): a run of one folio's subpages in one
     * {@code gup_put_folio}, as {@code gup_folio_range_next} groups them.
     */
    static void ungrabPages(Gup k, int[] pages, int n, int foll) {
        int i = 0;
        while (i < n) {
            int head = k.frames.compoundHead(pages[i]);
            int run = 1;
            while (i + run < n && pages[i + run] == pages[i] + run && k.frames.compoundHead(pages[i + run]) == head) {
                run++;
            }
            k.pins.accounting().ungrabFolio(pages[i], run, foll);
            i += run;
        }
    }

    /**
     * What {@code check_vma_flags} sees: anonymous, fsdax, a private (COW) file mapping, shmem
     * (no backing store) or a file. {@code writable_file_mapping_allowed} (mm/gup.c, v6.5)
     * asks {@code vma_needs_dirty_tracking}, which is false without VM_SHARED: hence
     * {@code PRIVATE_FILE} apart from {@code FILE}.
     */
    private static AdmissionPolicy.Mapping mappingKind(Vma v) {
        if (v.isAnon()) {
            return AdmissionPolicy.Mapping.ANONYMOUS;
        }
        if (v.file.mount.dax()) {
            return AdmissionPolicy.Mapping.DAX;
        }
        if (!v.shared) {
            return AdmissionPolicy.Mapping.PRIVATE_FILE;
        }
        return v.file.mount.sb.hasBackingStore() ? AdmissionPolicy.Mapping.FILE : AdmissionPolicy.Mapping.SHMEM;
    }

    private int finish(Task t, int r) {
        result = r;
        mm.mmapLock.upRead(t); // mmap_read_unlock
        return t.ret();
    }
}
