package org.pinlab.kernel.internal.mm;

import java.util.function.IntPredicate;

import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.policy.AdmissionPolicy;

import org.pinlab.kernel.Cost;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code __get_user_pages()}: with {@code mmap_lock} held for read, walks the page table
 * for each page of a user range ({@code follow_page_pte}); a page that is absent, or
 * read-only when {@code FOLL_WRITE} asks to write, is faulted in ({@code faultin_page} ->
 * {@code handle_mm_fault}, which reaches {@code page_mkwrite} for shared file pages) and the
 * walk retries it. Each page found is handed to {@code grab} ({@code try_grab_folio}:
 * FOLL_GET takes a reference, FOLL_PIN a pin); a refused grab ends the walk with -ENOMEM.
 */
public final class GetUserPages extends Proc {

    public static final int ENOMEM = -12;
    public static final int EFAULT = -14;
    /** -EOPNOTSUPP: a FOLL_LONGTERM pin of an fsdax mapping. */
    public static final int EOPNOTSUPP = -95;

    private final Kernel k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final boolean write;
    private final IntPredicate grab;
    private final int foll;
    private final String owner;
    private final int[] pages;
    private Vma admitted;
    private PinRecord record;
    /** Whether a successful accounted grab records itself (the fast path records the whole range). */
    private boolean recordIt = true;
    private int i;
    private HandleMmFault fault;
    /** Pages grabbed (all of them on success), or a negative errno. */
    public int result;

    /**
     * @param grab called with each page's pfn inside the walk's step; returns false to refuse
     */
    public GetUserPages(Kernel k, Mm mm, long startVpn, int nrPages, boolean write, IntPredicate grab) {
        this(k, mm, startVpn, nrPages, write ? Foll.WRITE : 0, null, grab);
    }

    private GetUserPages(Kernel k, Mm mm, long startVpn, int nrPages, int foll, String owner, IntPredicate grab) {
        super("__get_user_pages");
        if (nrPages < 1) {
            throw new IllegalArgumentException("GUP of " + nrPages + " pages");
        }
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.write = (foll & Foll.WRITE) != 0;
        this.foll = foll;
        this.owner = owner;
        this.grab = grab;
        this.pages = new int[nrPages];
    }

    /**
     * {@code get_user_pages} / {@code pin_user_pages} through the machine's pin accounting:
     * every page is grabbed with {@code foll} ({@code try_grab_folio}), the whole range is
     * recorded against {@code owner}, and a failure part-way releases what was taken.
     *
     * @throws IllegalArgumentException for flags {@code is_valid_gup_args} rejects
     */
    public static GetUserPages accounted(Kernel k, Mm mm, long startVpn, int nrPages, int foll, String owner) {
        Foll.validate(foll);
        PinAccounting pins = k.pins();
        return new GetUserPages(k, mm, startVpn, nrPages, foll, owner, pfn -> pins.tryGrab(pfn, foll) == 0);
    }

    /** As {@link #accounted}, but leaves recording to the caller ({@code gup_fast}'s fallback). */
    static GetUserPages accountedUnrecorded(Kernel k, Mm mm, long startVpn, int nrPages, int foll, String owner) {
        GetUserPages g = accounted(k, mm, startVpn, nrPages, foll, owner);
        g.recordIt = false;
        return g;
    }

    /** The record of an accounted grab that succeeded, else null. */
    public PinRecord record() {
        return record;
    }

    /** The frames grabbed, in address order ({@code pages[]}). */
    public int[] pages() {
        return pages;
    }

    @Override
    protected int step(Task t) {
        switch (pc) {
            case 0:
                pc = 1;
                return t.call(mm.mmapLock.downRead()); // mmap_read_lock
            case 1: {
                if (i == nrPages) {
                    if (owner != null && recordIt) {
                        record = k.pins().record(owner, pages.clone(), foll);
                    }
                    return finish(t, nrPages);
                }
                long vpn = startVpn + i;
                Vma v = mm.findVma(vpn);
                if (v == null) {
                    return finish(t, i > 0 ? i : EFAULT);
                }
                if ((foll & Foll.LONGTERM) != 0 && !v.isAnon() && v.file.mount.sb.refusesLongtermPins()) {
                    // check_vma_flags: vma_is_fsdax, before any fault; DAX blocks cannot be pinned for ever
                    return fail(t, EOPNOTSUPP);
                }
                int s = v.slot(vpn);
                byte pte = v.pte[s];
                boolean usable = (pte & Vma.PTE_PRESENT) != 0 && (!write || (pte & Vma.PTE_WRITE) != 0);
                if (!usable) {
                    fault = new HandleMmFault(k, mm, vpn, write);
                    pc = 2;
                    return t.call(fault);
                }
                if (owner != null && v != admitted) {
                    int err = k.choices.admission().admit(foll, mappingKind(v)); // check_vma_flags
                    if (err != 0) {
                        return fail(t, err);
                    }
                    admitted = v;
                }
                int pfn = v.pfn[s];
                if ((foll & Foll.LONGTERM) != 0 && !k.isLongtermPinnable(pfn)) {
                    // check_and_migrate_movable_pages: move it out of ZONE_MOVABLE first
                    pfn = k.migrateToNormal(pfn);
                    if (pfn < 0) {
                        return fail(t, ENOMEM);
                    }
                    k.count(Vmstat.PGMIGRATE_SUCCESS, 1);
                }
                if (!grab.test(pfn)) {
                    return owner != null ? fail(t, ENOMEM) : finish(t, i > 0 ? i : ENOMEM);
                }
                pages[i++] = pfn;
                // FOLL_TOUCH: follow_page_pte dirties the page early for a write
                // (the "mark it dirty early" of seed 003) and marks it accessed
                if (write && (pte & Vma.PTE_DIRTY) == 0) {
                    k.setPageDirty(pfn);
                }
                v.pte[s] |= Vma.PTE_YOUNG;
                return t.next(k.cost(Cost.CPU_STEP));
            }
            case 2:
                if (fault.result != HandleMmFault.OK) {
                    return owner != null ? fail(t, EFAULT) : finish(t, i > 0 ? i : EFAULT);
                }
                pc = 1; // retry the page: follow_page_pte again
                return t.next(k.cost(Cost.CPU_STEP));
            default:
                throw new IllegalStateException("__get_user_pages: bad pc " + pc);
        }
    }

    /** An accounted grab is all or nothing: give back what was taken, then fail. */
    private int fail(Task t, int err) {
        for (int j = 0; j < i; j++) {
            k.pins().ungrab(pages[j], foll);
        }
        i = 0;
        return finish(t, err);
    }

    /** What {@code check_vma_flags} sees: anonymous, shmem (no backing store), fsdax or a file. */
    private static AdmissionPolicy.Mapping mappingKind(Vma v) {
        if (v.isAnon()) {
            return AdmissionPolicy.Mapping.ANONYMOUS;
        }
        if (v.file.mount.dax()) {
            return AdmissionPolicy.Mapping.DAX;
        }
        return v.file.mount.sb.hasBackingStore() ? AdmissionPolicy.Mapping.FILE : AdmissionPolicy.Mapping.SHMEM;
    }

    private int finish(Task t, int r) {
        result = r;
        mm.mmapLock.upRead(t); // mmap_read_unlock
        return t.ret();
    }
}
