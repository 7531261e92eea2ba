package org.pinlab.kernel.internal.mm;

import java.util.function.IntPredicate;

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

    private final Kernel k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final boolean write;
    private final IntPredicate grab;
    private final int[] pages;
    private int i;
    private HandleMmFault fault;
    /** Pages grabbed (all of them on success), or a negative errno. */
    public int result;

    /**
     * @param grab called with each page's pfn inside the walk's step; returns false to refuse
     */
    public GetUserPages(Kernel k, Mm mm, long startVpn, int nrPages, boolean write, IntPredicate grab) {
        super("__get_user_pages");
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.write = write;
        this.grab = grab;
        this.pages = new int[nrPages];
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
                    return finish(t, nrPages);
                }
                long vpn = startVpn + i;
                Vma v = mm.findVma(vpn);
                if (v == null) {
                    return finish(t, i > 0 ? i : EFAULT);
                }
                int s = v.slot(vpn);
                byte pte = v.pte[s];
                boolean usable = (pte & Vma.PTE_PRESENT) != 0 && (!write || (pte & Vma.PTE_WRITE) != 0);
                if (!usable) {
                    fault = new HandleMmFault(k, mm, vpn, write);
                    pc = 2;
                    return t.call(fault);
                }
                int pfn = v.pfn[s];
                if (!grab.test(pfn)) {
                    return finish(t, i > 0 ? i : ENOMEM);
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
                    return finish(t, i > 0 ? i : EFAULT);
                }
                pc = 1; // retry the page: follow_page_pte again
                return t.next(k.cost(Cost.CPU_STEP));
            default:
                throw new IllegalStateException("__get_user_pages: bad pc " + pc);
        }
    }

    private int finish(Task t, int r) {
        result = r;
        mm.mmapLock.upRead(t); // mmap_read_unlock
        return t.ret();
    }
}
