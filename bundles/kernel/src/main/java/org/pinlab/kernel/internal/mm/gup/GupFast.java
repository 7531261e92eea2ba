package org.pinlab.kernel.internal.mm.gup;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.Vma;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code get_user_pages_fast} / {@code pin_user_pages_fast}: walks the page tables without
 * {@code mmap_lock}, with interrupts off ({@code gup_fast}), so the walk over the present
 * part of the range is one atomic step; at the first page it cannot take (not present,
 * read-only for a write, or refused) it falls back to the slow path
 * ({@code __gup_longterm_unlocked} -> {@code __get_user_pages}) for the rest. What it took is
 * recorded once: the whole range, or, if the slow path stopped short, the pages before that.
 */
public final class GupFast extends Proc {

    private final Gup k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final int foll;
    private final String owner;
    private final int[] pages;
    private int fast;
    private GetUserPages slow;
    private PinRecord record;
    /** Pages taken, or a negative errno. */
    public int result;

    public GupFast(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner) {
        this(k, mm, startVpn, nrPages, foll, owner, new int[nrPages]);
    }

    /**
     * As the kernel's callers do, with the caller's {@code pages[]}: the call fills it and
     * its pin record keeps it (no copy), so the caller leaves it as filled until the record
     * is released.
     *
     * @param pages {@code nrPages} entries
     */
    public GupFast(Gup k, Mm mm, long startVpn, int nrPages, int foll, String owner, int[] pages) {
        super("gup_fast");
        Foll.validate(foll);
        if (pages.length != nrPages) {
            throw new IllegalArgumentException("gup_fast of " + nrPages + " pages into a pages[] of " + pages.length);
        }
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.foll = foll | Foll.FAST;
        this.owner = owner;
        this.pages = pages;
    }

    public PinRecord record() {
        return record;
    }

    /** {@code gup_fast}'s states; a range taken whole by the fast walk ends at 99, as traces recorded it. */
    private enum Step implements Proc.State {
        WALK(0), SLOW_PATH_RETURNED(1), RETURNED(99);

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
            case WALK: {
                fast = walk();
                if (fast == nrPages) {
                    record = k.pins.accounting().recordInPlace(owner, pages, foll); // pages[] is the record's: no copy
                    result = nrPages;
                    resume(Step.RETURNED);
                    return t.next(fast * k.cost((foll & Foll.PIN) != 0 ? Cost.PIN_PAGE : Cost.CPU_STEP));
                }
                slow = GetUserPages.accountedUnrecorded(k, mm, startVpn + fast, nrPages - fast, foll & ~Foll.FAST,
                        owner);
                resume(Step.SLOW_PATH_RETURNED);
                return t.call(slow);
            }
            case SLOW_PATH_RETURNED: {
                // gup_fast_fallback (v6.12): the slow path's pages follow the fast ones; if it
                // failed, what the fast walk pinned is still the answer ("if (nr_pinned) return
                // nr_pinned"), and only a call that pinned nothing returns the errno
                int got = fast + Math.max(0, slow.result);
                if (got == 0) {
                    result = slow.result;
                    return t.ret();
                }
                System.arraycopy(slow.pages(), 0, pages, fast, got - fast);
                // pages[] is the record's (no copy), unless the call came back short
                record = k.pins.accounting().recordInPlace(owner, GetUserPages.firstPages(pages, got), foll);
                result = got;
                return t.ret();
            }
            case RETURNED:
                return t.ret();
            default:
                throw new IllegalStateException("gup_fast: bad pc " + pc);
        }
    }

    /** {@code gup_fast_pte_range}: take pages while they are present (and writable for a write). */
    private int walk() {
        PinAccounting pins = k.pins.accounting();
        boolean write = (foll & Foll.WRITE) != 0;
        int i = 0;
        Vma v = null;
        while (i < nrPages) {
            long vpn = startVpn + i;
            if (v == null || !v.contains(vpn)) {
                v = mm.findVma(vpn);
                if (v == null || ((foll & Foll.LONGTERM) != 0 && !v.isAnon())) {
                    // gup_fast_folio_allowed: long-term file pins take the slow path's checks (fsdax
                    // too: gup_fast_pte_range gives up on a devmap PTE with FOLL_LONGTERM)
                    break;
                }
            }
            int s = v.slot(vpn);
            byte pte = v.pte[s];
            if ((pte & Vma.PTE_PRESENT) == 0 || (write && (pte & Vma.PTE_WRITE) == 0)) {
                break;
            }
            int pfn = v.pfn[s];
            if ((foll & Foll.LONGTERM) != 0 && !k.pageAlloc.isLongtermPinnable(pfn)) {
                break; // must be migrated first: the slow path's job
            }
            // gup_fast_pmd_leaf: the subpages of one folio mapped in a row are grabbed at once
            // with try_grab_folio(folio, refs), a PMD leaf's without reading its PTEs.
            // Departure: the model batches any such run, PTE-mapped or not, reading the PTEs;
            // the kernel batches PMD leaves only. The counts are the same.
            int leaf = GetUserPages.pmdLeafRun(k, v, s, nrPages - i);
            int n = leaf > 0 ? leaf : GetUserPages.pteRun(k, v, s, nrPages - i, write);
            int err = leaf > 0 ? pins.tryGrabHugePmd(pfn, n, foll, true) : pins.tryGrabFolio(pfn, n, foll);
            if (err != 0) {
                break;
            }
            GetUserPages.recordSubpages(pages, i, pfn, n);
            i += n;
        }
        return i;
    }
}
