package org.pinlab.gup.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

/** Publishes the pin layout of the Nov-Dec 2019 FOLL_PIN series as {@code foll-pin-2019}; each machine gets its own state. */
@Component(service = PinTracker.class, property = "name=foll-pin-2019")
public final class FollPin2019PinTracker implements PinTracker {

    @Override
    public String name() {
        return "foll-pin-2019";
    }

    @Override
    public String description() {
        return "The pin counting of John Hubbard's FOLL_PIN series of Nov-Dec 2019 (\"mm/gup: track FOLL_PIN "
                + "pages\", seed 004's \"I've taken 21 bits (!) to track gupers\"): every pin adds 1024 to the "
                + "head page's refcount whatever the folio size, so each of a 2 MiB THP's 512 subpage pins "
                + "lands on the head, and there is no separate pincount. Its only overflow check is v5.1's "
                + "WARN_ON_ONCE(page_ref_count(head) < 0) in try_get_compound_head: one process registering "
                + "the same huge page 4096 times wraps the count negative, and the 4097th registration "
                + "warns and fails with -ENOMEM.";
    }

    @Override
    public PinAccounting create(FolioCounters folios) {
        return new FollPin2019PinAccounting(folios);
    }
}
