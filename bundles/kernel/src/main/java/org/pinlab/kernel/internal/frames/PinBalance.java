package org.pinlab.kernel.internal.frames;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;

/**
 * The pin layout's accounting, passed through unchanged, with a model-only count of the
 * FOLL_PIN grabs each page holds now: taken by {@code try_grab_folio}, given back by
 * {@code gup_put_folio} or by releasing a record. It stands for no kernel structure (a small
 * folio keeps its pins as a refcount bias, which cannot tell 1,024 plain references from a
 * pin); verdicts read it to say when {@code folio_maybe_dma_pinned} may be a false positive.
 * It counts a grab from the moment it succeeds, so a GUP walk still in flight holds its pages.
 */
final class PinBalance implements PinAccounting {

    private final PinAccounting layout;
    private final Map<Integer, Integer> pins = new HashMap<>();

    PinBalance(PinAccounting layout) {
        this.layout = layout;
    }

    /** Whether a FOLL_PIN grab holds {@code pfn} now. */
    boolean held(int pfn) {
        return pins.getOrDefault(pfn, 0) > 0;
    }

    private void count(int pfn, int pages, int foll, int delta) {
        if ((foll & Foll.PIN) == 0) {
            return;
        }
        for (int i = 0; i < pages; i++) {
            int n = pins.getOrDefault(pfn + i, 0) + delta;
            if (n > 0) {
                pins.put(pfn + i, n);
            } else {
                pins.remove(pfn + i);
            }
        }
    }

    @Override
    public int tryGrab(int pfn, int foll) {
        int err = layout.tryGrab(pfn, foll);
        if (err == 0) {
            count(pfn, 1, foll, 1);
        }
        return err;
    }

    @Override
    public int tryGrabFolio(int pfn, int refs, int foll) {
        int err = layout.tryGrabFolio(pfn, refs, foll);
        if (err == 0) {
            count(pfn, refs, foll, 1);
        }
        return err;
    }

    @Override
    public int tryGrabHugePmd(int pfn, int refs, int foll, boolean fast) {
        int err = layout.tryGrabHugePmd(pfn, refs, foll, fast);
        if (err == 0) {
            count(pfn, refs, foll, 1);
        }
        return err;
    }

    @Override
    public void ungrab(int pfn, int foll) {
        layout.ungrab(pfn, foll);
        count(pfn, 1, foll, -1);
    }

    @Override
    public void ungrabFolio(int pfn, int refs, int foll) {
        layout.ungrabFolio(pfn, refs, foll);
        count(pfn, refs, foll, -1);
    }

    @Override
    public boolean maybeDmaPinned(int pfn) {
        return layout.maybeDmaPinned(pfn);
    }

    @Override
    public PinRecord record(String owner, int[] pfns, int foll) {
        return layout.record(owner, pfns, foll);
    }

    @Override
    public PinRecord recordInPlace(String owner, int[] pfns, int foll) {
        return layout.recordInPlace(owner, pfns, foll);
    }

    @Override
    public void release(PinRecord record, boolean dirty) {
        layout.release(record, dirty);
        for (int pfn : record.pfns()) {
            count(pfn, 1, record.foll(), -1);
        }
    }

    @Override
    public List<PinRecord> outstanding() {
        return layout.outstanding();
    }

    @Override
    public long pinsAcquired() {
        return layout.pinsAcquired();
    }

    @Override
    public long pinsReleased() {
        return layout.pinsReleased();
    }
}
