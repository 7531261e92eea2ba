package org.pinlab.testing;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.kernel.internal.Kernel;

/**
 * The reference and pin counts of a set of frames at one moment ({@code folio_ref_count},
 * {@code folio->_pincount} of large folios), to compare with a later moment: pins taken and
 * released must leave them as they were.
 */
final class PinBalance {

    private final Kernel k;
    private final int[] pfns;
    private final int[] refcounts;
    private final int[] pincounts;

    PinBalance(Kernel k, int[] pfns) {
        this.k = k;
        this.pfns = pfns.clone();
        refcounts = new int[pfns.length];
        pincounts = new int[pfns.length];
        FolioCounters c = k.gup.folioCounters();
        for (int i = 0; i < pfns.length; i++) {
            int head = c.compoundHead(pfns[i]);
            refcounts[i] = c.refcount(head);
            pincounts[i] = c.isLarge(head) ? c.pincount(head) : 0;
        }
    }

    /** What differs now from the snapshot, one line per frame, with the accounting's own totals. */
    List<String> differencesNow() {
        List<String> out = new ArrayList<>();
        FolioCounters c = k.gup.folioCounters();
        PinAccounting pins = k.pins.accounting();
        for (int i = 0; i < pfns.length; i++) {
            int head = c.compoundHead(pfns[i]);
            int ref = c.refcount(head);
            int pin = c.isLarge(head) ? c.pincount(head) : 0;
            if (ref != refcounts[i] || pin != pincounts[i] || pins.maybeDmaPinned(pfns[i])) {
                out.add("pfn " + pfns[i] + " (folio " + head + "): refcount " + refcounts[i] + " -> " + ref
                        + ", pincount " + pincounts[i] + " -> " + pin + (pins.maybeDmaPinned(pfns[i])
                        ? ", still folio_maybe_dma_pinned" : ""));
            }
        }
        if (pins.pinsAcquired() != pins.pinsReleased()) {
            out.add("nr_foll_pin_acquired " + pins.pinsAcquired() + " != nr_foll_pin_released " + pins.pinsReleased());
        }
        if (!pins.outstanding().isEmpty()) {
            out.add("outstanding grabs: " + pins.outstanding());
        }
        return out;
    }
}
