package org.pinlab.gup.internal;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinTracker;

/** Publishes the 2019 RFC pin accounting as the {@code rfc-21bit} pin layout; each machine gets its own state. */
@Component(service = PinTracker.class, property = "name=rfc-21bit")
public final class Rfc21BitPinTracker implements PinTracker {

    @Override
    public String name() {
        return "rfc-21bit";
    }

    @Override
    public String description() {
        return "The 2019 RFC pin accounting (John Hubbard's gup tracking series, get_gup_pin_page): pins share "
                + "the 31-bit page refcount with get_page, 10 low bits for references and 21 high bits for "
                + "pins, and every pin adds 1024 to the head page's refcount whatever the folio size, so each "
                + "of a 2 MiB THP's 512 subpage pins lands on the head. There is no separate pincount. One "
                + "process registering the same huge page about 4096 times overflows the pin field: WARN "
                + "\"get_user_pages pin count overflowed\" and -ENOMEM, as in the reg-mr report of March 2019.";
    }

    @Override
    public PinAccounting create(FolioCounters folios) {
        return new Rfc21BitPinAccounting(folios);
    }
}
