package org.pinlab.gup.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

/** Publishes the Linux 5.7+ pin accounting as the {@code merged} pin layout; each machine gets its own state. */
@Component(service = PinTracker.class, property = "name=merged")
public final class MergedPinTracker implements PinTracker {

    @Override
    public String name() {
        return "merged";
    }

    @Override
    public String description() {
        return "Pin accounting as merged in Linux 5.7 and kept since (mm/gup.c try_grab_folio, gup_put_folio, "
                + "folio_maybe_dma_pinned): a FOLL_PIN pin of a small page adds GUP_PIN_COUNTING_BIAS (1024) to "
                + "its refcount, a pin of a large folio (THP, hugetlb) adds one reference and one to the folio's "
                + "exact _pincount; FOLL_GET adds one reference. A grab that would overflow the refcount fails "
                + "with -ENOMEM. folio_maybe_dma_pinned is exact for large folios and may give false positives "
                + "(1024 plain references) on small pages, never false negatives.";
    }

    @Override
    public PinAccounting create(FolioCounters folios) {
        return new MergedPinAccounting(folios);
    }
}
