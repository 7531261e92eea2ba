package org.pinlab.kernel.internal.mm.mmap;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.api.mm.PhysicalMemory;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.CostTable;
import org.pinlab.kernel.internal.frames.ContentTokens;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.VmCounters;
import org.pinlab.kernel.internal.frames.Vmstat;
import org.pinlab.kernel.internal.locking.LockClass;
import org.pinlab.kernel.internal.locking.LockValidator;
import org.pinlab.kernel.internal.locking.RwSemaphore;
import org.pinlab.kernel.internal.mm.Inode;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.kernel.internal.mm.rmap.Rmap;
import org.pinlab.kernel.internal.mm.swap.Lru;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * mm/mmap.c (with {@code mm_alloc} from kernel/fork.c): the processes' address spaces,
 * mapping and unmapping, {@code MAP_POPULATE} for anonymous memory, and (from mm/madvise.c)
 * {@code MADV_DONTNEED}.
 */
public final class Mmap {

    private final Engine engine;
    private final CostTable costs;
    private final LockValidator lockdep;
    private final LockClass mmapLockClass;
    private final PhysicalMemory phys;
    private final FrameStore frames;
    private final VmCounters vm;
    private final Lru lru;
    private final ContentTokens tokens;
    private final Rmap rmap;
    private final List<Mm> mms = new ArrayList<>();

    public Mmap(Engine engine, CostTable costs, LockValidator lockdep, LockClass mmapLockClass, PhysicalMemory phys,
                FrameStore frames, VmCounters vm, Lru lru, ContentTokens tokens, Rmap rmap) {
        this.engine = engine;
        this.costs = costs;
        this.lockdep = lockdep;
        this.mmapLockClass = mmapLockClass;
        this.phys = phys;
        this.frames = frames;
        this.vm = vm;
        this.lru = lru;
        this.tokens = tokens;
        this.rmap = rmap;
    }

    /** Every address space, in creation order. */
    public List<Mm> mms() {
        return mms;
    }

    /** {@code mm_alloc}: a new address space for a process. */
    public Mm newMm(String owner) {
        Mm mm = new Mm(mms.size() + 1, owner, new RwSemaphore(engine, lockdep, mmapLockClass,
                "mmap_lock(" + owner + ")", costs.ns(Cost.LOCK)));
        mms.add(mm);
        return mm;
    }

    /**
     * {@code mprotect(2)} of a whole VMA ({@code mprotect_fixup}, mm/mprotect.c, v6.12): VM_WRITE
     * set or cleared, and without it every PTE write-protected ({@code change_protection}),
     * PMD leaves split first. Done at once by the caller's thread, with no task holding
     * {@code mmap_lock}. Departure: no MMU notifier is called, so it is refused on a VMA a
     * device watches.
     *
     * @throws IllegalStateException if a device buffer over the VMA has MMU interval notifiers
     */
    public void mprotect(Vma v, boolean writable) {
        if (v.watched != null && !v.watched.isEmpty()) {
            throw new IllegalStateException("mprotect of a VMA a device watches is not modelled");
        }
        v.writable = writable;
        if (!writable) {
            v.splitPmds(0, v.pages);
            for (int s = 0; s < v.pages; s++) {
                v.pte[s] &= ~Vma.PTE_WRITE;
            }
        }
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
            int order = thp && v.pages - s >= Vma.PMD_NR ? MemoryLayout.HPAGE_PMD_ORDER : 0;
            int n = 1 << order;
            long head = phys.allocPages(Zone.NORMAL, order);
            if (head == PhysicalMemory.NO_PAGE) {
                throw new IllegalStateException("out of memory populating " + v.pages + " pages");
            }
            int h = (int) head;
            vm.count(Vmstat.NR_FREE_PAGES, -n);
            for (int i = 0; i < n; i++) {
                frames.reset(h + i);
            }
            frames.prepCompound(h, order);
            frames.set(h, PageFlags.ANON | PageFlags.SWAPBACKED | PageFlags.UPTODATE | PageFlags.DIRTY);
            frames.setOwner(h, -mm.id, (int) (v.startVpn + s));
            frames.setRefcount(h, n); // one reference per mapping PTE (folio_add_new_anon_rmap)
            frames.addMapcount(h, n);
            vm.count(Vmstat.NR_ANON_PAGES, 1);
            lru.add(h);
            v.splitPmds(s, s + n);
            for (int i = 0; i < n; i++) {
                v.pfn[s + i] = h + i;
                v.pte[s + i] = (byte) (Vma.PTE_PRESENT | Vma.PTE_WRITE | Vma.PTE_DIRTY | Vma.PTE_YOUNG);
                frames.setToken(h + i, tokens.newToken());
            }
            if (n == Vma.PMD_NR) {
                v.mapPmdLeaf(s, frames); // do_huge_pmd_anonymous_page: one PMD maps the folio
            }
            s += n;
        }
    }

    /**
     * {@code madvise(MADV_DONTNEED)} over slots {@code [from, to)} of {@code v}
     * ({@code madvise_dontneed_single_vma} -> {@code zap_page_range_single}, v6.12), under
     * {@code mmap_lock} for read ({@code madvise_need_mmap_write} is 0 for it). A huge PMD
     * the range covers only in part is split first ({@code zap_pmd_range}:
     * {@code __split_huge_pmd} when {@code next - addr != HPAGE_PMD_SIZE}); the folio stays
     * whole, now mapped by PTEs. Anonymous pages zapped are gone: the next touch faults in a
     * zeroed page.
     */
    public Proc madviseDontneed(Mm mm, Vma v, int from, int to) {
        return madvise(mm, v, from, to, false);
    }

    /**
     * {@code madvise(MADV_HWPOISON)} over slots {@code [from, to)} of {@code v}
     * ({@code madvise_inject_error} -> {@code memory_failure}, v6.12): each mapped page is
     * marked PG_hwpoison and kept out of the allocator for good, and its PTE becomes a
     * hwpoison entry ({@code try_to_unmap} with TTU_HWPOISON), so the next access faults with
     * VM_FAULT_HWPOISON. Departures: the kernel splits a THP before poisoning one of its pages
     * ({@code try_to_split_thp_page}); the model splits only the huge PMD, and the folio stays
     * whole. Only this mapping's PTE is replaced, not other processes' mappings of the page.
     */
    public Proc madviseHwpoison(Mm mm, Vma v, int from, int to) {
        return madvise(mm, v, from, to, true);
    }

    private Proc madvise(Mm mm, Vma v, int from, int to, boolean poison) {
        if (from < 0 || to > v.pages || from >= to) {
            throw new IllegalArgumentException("MADV_" + (poison ? "HWPOISON" : "DONTNEED") + " of pages [" + from
                    + ", " + to + ") of a " + v.pages + "-page mapping");
        }
        return new Proc("do_madvise") {
            /** Lock, zap (or poison) and unlock, return. */
            private enum Step implements Proc.State { MMAP_READ_LOCK, ZAP, RETURN }

            private static final Step[] STEPS = byPc(Step.values());

            @Override
            protected int step(Task t) {
                if (STEPS[pc] == Step.MMAP_READ_LOCK) {
                    resume(Step.ZAP);
                    return t.call(mm.mmapLock.downRead()); // madvise_lock: mmap_read_lock
                }
                if (STEPS[pc] == Step.RETURN) {
                    return t.ret();
                }
                int done = 0;
                for (int s = from; s < to; s++) {
                    if ((v.pte[s] & Vma.PTE_PRESENT) != 0) {
                        int pfn = v.pfn[s];
                        if (poison) {
                            frames.set(pfn, PageFlags.HWPOISON); // memory_failure: TestSetPageHWPoison
                            frames.addRef(frames.compoundHead(pfn), 1); // the page is never freed again
                        }
                        rmap.zapPte(v, v.startVpn + s, pfn); // splits a partly covered huge PMD
                        if (poison) {
                            v.pte[s] = Vma.PTE_HWPOISON; // try_to_unmap_one, TTU_HWPOISON: make_hwpoison_entry
                        }
                        done++;
                    }
                }
                mm.mmapLock.upRead(t); // madvise_unlock
                resume(Step.RETURN);
                return t.next(Math.max(1, done) * costs.ns(Cost.CPU_STEP));
            }
        };
    }

    /** {@code do_munmap} -> {@code zap_page_range}: every PTE of the VMA goes, then the VMA. */
    public void munmap(Mm mm, Vma v) {
        for (int s = 0; s < v.pages; s++) {
            if ((v.pte[s] & Vma.PTE_PRESENT) != 0) {
                rmap.zapPte(v, v.startVpn + s, v.pfn[s]);
            }
        }
        mm.vmas.remove(v);
        if (v.file != null) {
            v.file.mapping.mappers.remove(v);
        }
    }
}
