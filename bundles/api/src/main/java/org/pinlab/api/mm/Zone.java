package org.pinlab.api.mm;

/**
 * A memory zone (the kernel's {@code enum zone_type}, reduced to the two that matter here).
 */
public enum Zone {
    /** ZONE_NORMAL: anything may live here, including long-term pinned pages. */
    NORMAL,
    /**
     * ZONE_MOVABLE / CMA: pages here must stay migratable, so a long-term pin must first
     * migrate the page out ({@code folio_is_longterm_pinnable()} is false here).
     */
    MOVABLE
}
