package org.pinlab.gup.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

/** Publishes the February 2019 tracking RFC's pin accounting as {@code rfc-2019}; each machine gets its own state. */
@Component(service = PinTracker.class, property = "name=rfc-2019")
public final class Rfc2019PinTracker implements PinTracker {

    @Override
    public String name() {
        return "rfc-2019";
    }

    @Override
    public String description() {
        return "The pin tracking RFC of February 2019 (John Hubbard, \"mm/gup: track gup-pinned pages\"), which "
                + "seed 000 ran: get_gup_pin_page adds 1024 to the head's refcount and refuses with WARN_ONCE "
                + "\"get_user_pages pin count overflowed\" and -EOVERFLOW once the count is negative (its test "
                + "against UINT_MAX - 1024, on 64-bit); put_user_page subtracts 1024 unchecked. Paths the RFC "
                + "did not convert still take plain references (follow_trans_huge_pmd's get_page), so a THP "
                + "taken that way and released with put_user_page gets more puts than gets, its count goes "
                + "negative, and the next pin warns: one GUP user is enough.";
    }

    @Override
    public PinAccounting create(FolioCounters folios) {
        return new Rfc2019PinAccounting(folios);
    }
}
