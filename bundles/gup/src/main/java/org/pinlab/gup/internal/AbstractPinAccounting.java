package org.pinlab.gup.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;

/**
 * What every pin layout shares: flag checks ({@code is_valid_gup_args}), FOLL_GET
 * references, the vmstat pin counters, the free-page check of {@code try_grab_folio}, pin
 * underflow detection, and the records of who holds what with their release. A subclass
 * supplies only the FOLL_PIN accounting rules: how a pin is added, how it is dropped, and
 * how {@code folio_maybe_dma_pinned} reads it.
 *
 * <p>One instance per machine; not thread-safe (each machine runs on one deterministic
 * scheduler).
 */
abstract class AbstractPinAccounting implements PinAccounting {

    /** {@code GUP_PIN_COUNTING_BIAS} (include/linux/mm.h): 1 &lt;&lt; 10. */
    static final int GUP_PIN_COUNTING_BIAS = 1 << 10;

    protected final FolioCounters folios;

    /**
     * Unreleased records by id; ids increase, so id order is oldest first. A plain hash map:
     * a linked one takes a branch of its own each time it goes from empty to one record and
     * back, as every gup_test ioctl makes it do, and the JIT threw away the compiled GUP path
     * there each time (an unstable_if deoptimization).
     */
    private final Map<Long, PinRecord> outstanding = new HashMap<>();
    private long nextId = 1;
    private long pinsAcquired;
    private long pinsReleased;
    private boolean warnedFreePage;

    AbstractPinAccounting(FolioCounters folios) {
        this.folios = Objects.requireNonNull(folios, "folios");
    }

    // ---- the accounting rules a layout supplies --------------------------------------

    /** Which page-table path found the subpages a grab takes: layouts of 2019 counted them differently. */
    enum GupPath {
        /** {@code follow_page_pte} (slow) or {@code gup_fast_pte_range} (fast): a PTE per subpage. */
        PTE,
        /** {@code follow_trans_huge_pmd}: the slow path under a huge PMD leaf. */
        HUGE_PMD,
        /** {@code gup_fast_pmd_leaf} (earlier {@code gup_huge_pmd}): the fast path under a huge PMD leaf. */
        HUGE_PMD_FAST
    }

    /**
     * Adds {@code refs} FOLL_PIN pins of subpages of one folio, starting at {@code pfn}
     * (whose folio head is {@code head} and whose head refcount is {@code refcount}), found
     * through {@code path}. Layouts that {@link #guardsFreePage() guard free pages} see a
     * positive refcount only.
     *
     * @return 0, or a negated errno with nothing changed
     */
    protected abstract int grabPin(int pfn, int head, int refcount, int refs, GupPath path);

    /**
     * Drops {@code refs} FOLL_PIN pins of the folio {@code head}; called when
     * {@link #maybeDmaPinned} holds, and otherwise only by layouts that
     * {@link #dropsUnpinned() drop anyway}.
     */
    protected abstract void dropPin(int head, int refs);

    /**
     * Whether every grab first refuses a folio whose refcount is zero or below with
     * {@code WARN_ON_ONCE} and -ENOMEM, as {@code try_grab_folio} has since v5.1
     * (8fde12ca79af "mm: prevent get_user_pages() from overflowing page refcount"). Layouts
     * older than that check in {@link #grabPin} their own way.
     */
    protected boolean guardsFreePage() {
        return true;
    }

    /**
     * Whether an unpin of a folio that does not look pinned still drops the pin, as the
     * 2019 RFC's {@code put_user_page} did without CONFIG_DEBUG_VM (its check was a
     * {@code VM_BUG_ON_PAGE}); either way the model reports it.
     */
    protected boolean dropsUnpinned() {
        return false;
    }

    /**
     * Whether FOLL_PIN leaves the shared zero page alone, as {@code try_grab_folio} and
     * {@code gup_put_folio} do since v6.5 (c8070b787519 "mm: Don't pin ZERO_PAGE in
     * pin_user_pages()"); the 2019 RFC layout did not.
     */
    protected abstract boolean skipsZeroPage();

    /** The kernel's name for dropping one pin, as a pin underflow report gives it. */
    protected String unpinName() {
        return "unpin_user_page";
    }

    /** The counts a pin underflow report shows for {@code head}. */
    protected String pinState(int head) {
        return "refcount " + folios.refcount(head);
    }

    // ---- shared paths -----------------------------------------------------------------

    /** Whether {@code refcount + add} still fits the 31 bits of a positive {@code atomic_t}. */
    static boolean fits(int refcount, long add) {
        return refcount + add <= Integer.MAX_VALUE;
    }

    @Override
    public final int tryGrab(int pfn, int foll) {
        return tryGrabFolio(pfn, 1, foll);
    }

    @Override
    public final int tryGrabFolio(int pfn, int refs, int foll) {
        return grab(pfn, refs, foll, GupPath.PTE);
    }

    @Override
    public final int tryGrabHugePmd(int pfn, int refs, int foll, boolean fast) {
        return grab(pfn, refs, foll, fast ? GupPath.HUGE_PMD_FAST : GupPath.HUGE_PMD);
    }

    private int grab(int pfn, int refs, int foll, GupPath path) {
        // is_valid_gup_args(): FOLL_GET xor FOLL_PIN, FOLL_LONGTERM only with FOLL_PIN
        Foll.validate(foll);
        int head = folioOf(pfn, refs);
        int refcount = folios.refcount(head);
        // try_grab_folio(): if (WARN_ON_ONCE(folio_ref_count(folio) <= 0)) return -ENOMEM;
        // a free page, or one whose count already wrapped (WARN_ON_ONCE: once per machine here)
        if (guardsFreePage() && refcount <= 0) {
            if (!warnedFreePage) {
                warnedFreePage = true;
                folios.warn("try_grab_folio", "try_grab_folio on pfn " + pfn + " with refcount " + refcount);
            }
            return Errno.ENOMEM.negative();
        }
        if ((foll & Foll.GET) != 0) {
            // try_grab_folio(), FOLL_GET: folio_ref_add(folio, refs).
            // Departure: the kernel lets the count wrap and refuses the *next* grab (v5.1
            // try_get_page); the model refuses the grab that would wrap, changing nothing.
            if (!fits(refcount, refs)) {
                return Errno.ENOMEM.negative();
            }
            folios.addRefs(head, refs);
            return 0;
        }
        if (skipsZeroPage() && folios.isZeroPage(pfn)) {
            return 0; // try_grab_folio, FOLL_PIN: is_zero_folio() -> return 0, no pin, no counter (v6.5)
        }
        int err = grabPin(pfn, head, refcount, refs, path);
        if (err == 0) {
            // node_stat_mod_folio(folio, NR_FOLL_PIN_ACQUIRED, refs): one per PAGE_SIZE
            pinsAcquired += refs;
        }
        return err;
    }

    /** The head of the one folio that holds {@code refs} subpages from {@code pfn}. */
    private int folioOf(int pfn, int refs) {
        int head = folios.compoundHead(pfn);
        if (refs < 1 || (refs > 1 && folios.compoundHead(pfn + refs - 1) != head)) {
            throw new IllegalArgumentException(refs + " subpages from pfn " + pfn + " are not all in one folio");
        }
        return head;
    }

    @Override
    public final void ungrab(int pfn, int foll) {
        putFolio(folios.compoundHead(pfn), pfn, 1, foll);
    }

    @Override
    public final void ungrabFolio(int pfn, int refs, int foll) {
        putFolio(folioOf(pfn, refs), pfn, refs, foll);
    }

    /** {@code gup_put_folio(folio, refs, flags)} for {@code refs} subpages of the folio {@code head}. */
    private void putFolio(int head, int pfn, int refs, int foll) {
        Foll.validate(foll);
        if ((foll & Foll.GET) != 0) {
            // gup_put_folio(), FOLL_GET: folio_put_refs(folio, refs), i.e. put_page()
            // (a refcount underflow is the kernel's to catch, in folio_put_refs)
            folios.putRefs(head, refs);
            return;
        }
        if (skipsZeroPage() && folios.isZeroPage(pfn)) {
            return; // gup_put_folio, FOLL_PIN: is_zero_folio() -> return (v6.5)
        }
        // gup_put_folio(), FOLL_PIN: unpin_user_page().
        // Departure: the kernel does not check (only a later refcount underflow or a
        // stale folio_maybe_dma_pinned() would show it); the model reports the bad unpin
        // and leaves the counts alone.
        if (!maybeDmaPinned(head)) {
            folios.report(FindingKind.PIN_UNDERFLOW, "pin underflow: " + unpinName() + " of pfn " + pfn
                    + " (folio " + head + ") that holds no pin: " + pinState(head));
            if (!dropsUnpinned()) {
                return;
            }
        }
        dropPin(head, refs);
        // node_stat_mod_folio(folio, NR_FOLL_PIN_RELEASED, refs): one per PAGE_SIZE
        pinsReleased += refs;
    }

    @Override
    public final PinRecord record(String owner, int[] pfns, int foll) {
        Objects.requireNonNull(owner, "owner");
        return keep(owner, Objects.requireNonNull(pfns, "pfns").clone(), foll);
    }

    @Override
    public final PinRecord recordInPlace(String owner, int[] pfns, int foll) {
        Objects.requireNonNull(owner, "owner");
        return keep(owner, Objects.requireNonNull(pfns, "pfns"), foll);
    }

    private PinRecord keep(String owner, int[] pfns, int foll) {
        Foll.validate(foll);
        // Model only: the kernel keeps no per-caller record of its pins (the driver holds
        // its pages[] array); the record lets leak reports and revokes name an owner.
        PinRecord record = new PinRecord(nextId++, owner, pfns, foll, folios.now());
        outstanding.put(record.id(), record);
        return record;
    }

    @Override
    public final void release(PinRecord record, boolean dirty) {
        Objects.requireNonNull(record, "record");
        PinRecord held = outstanding.get(record.id());
        if (held == null) {
            throw new IllegalStateException(record + " was already released (or never recorded on this machine)");
        }
        if (held != record) {
            throw new IllegalStateException(record + " is not the record this machine holds as pin#" + record.id()
                    + ": " + held);
        }
        outstanding.remove(record.id());
        // Released the way it was taken, whatever is active now:
        //   FOLL_PIN -> unpin_user_pages() / unpin_user_pages_dirty_lock(pages, n, dirty)
        //   FOLL_GET -> the legacy loop: set_page_dirty_lock(page) then put_page(page)
        // Consecutive entries of one folio go in one gup_put_folio (gup_folio_next).
        int[] pfns = record.pfns();
        int i = 0;
        while (i < pfns.length) {
            int head = folios.compoundHead(pfns[i]);
            int n = sameFolio(pfns, i, head, head + folios.nrPages(head));
            // unpin_user_pages_dirty_lock (v6.12): once per folio, if (!folio_test_dirty(folio))
            // folio_lock + folio_mark_dirty + folio_unlock; set_page_dirty_lock of a tail page
            // dirties its folio the same way (page_folio). Departure: the folio lock is taken and
            // dropped inside this one step, so it never waits here.
            if (dirty && !folios.isDirty(head)) {
                folios.markDirtyLocked(head);
            }
            putFolio(head, pfns[i], n, record.foll());
            i += n;
        }
    }

    /**
     * How many entries from {@code pfns[from]} on (at least 1) are pages of the folio whose
     * subpages are {@code head .. end - 1}, in whatever order: the run {@code gup_folio_next}
     * finds by comparing {@code page_folio()}. Membership is arithmetic, no lookup per page.
     */
    private static int sameFolio(int[] pfns, int from, int head, int end) {
        // the common case first, ascending subpages (what GUP fills in): one compare each
        int first = pfns[from];
        int limit = Math.min(pfns.length - from, end - first);
        int n = 1;
        while (n < limit && pfns[from + n] == first + n) {
            n++;
        }
        // then whatever other entries of the folio follow, in any order
        while (from + n < pfns.length && pfns[from + n] >= head && pfns[from + n] < end) {
            n++;
        }
        return n;
    }

    @Override
    public final List<PinRecord> outstanding() {
        PinRecord[] held = outstanding.values().toArray(new PinRecord[0]);
        Arrays.sort(held, Comparator.comparingLong(PinRecord::id));
        return List.of(held);
    }

    @Override
    public final long pinsAcquired() {
        return pinsAcquired;
    }

    @Override
    public final long pinsReleased() {
        return pinsReleased;
    }
}
