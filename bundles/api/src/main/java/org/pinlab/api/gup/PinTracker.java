package org.pinlab.api.gup;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/**
 * A pin-accounting scheme as a service, registered with a {@code name} property:
 * {@code merged} (Linux 5.7 onwards: GUP_PIN_COUNTING_BIAS on small pages, an exact
 * {@code _pincount} on large folios), {@code foll-pin-2019} (the Nov 2019 FOLL_PIN series of
 * seed 004: pins share the refcount in a 21-bit field, every subpage pin landing on the head)
 * or {@code rfc-2019} (the February 2019 tracking RFC that seed 000 ran).
 */
@ConsumerType
public interface PinTracker extends Pluggable {

    /** A fresh accounting state for one machine. */
    PinAccounting create(FolioCounters folios);
}
