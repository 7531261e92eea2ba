package org.pinlab.api.mm;

/** The zone watermarks ({@code enum zone_watermarks}). */
public enum Watermark {
    /** WMARK_MIN: below it only atomic/reclaim allocations succeed; others enter direct reclaim. */
    MIN,
    /** WMARK_LOW: an allocation that leaves free memory below it wakes kswapd. */
    LOW,
    /** WMARK_HIGH: kswapd stops once free memory is back above it. */
    HIGH
}
