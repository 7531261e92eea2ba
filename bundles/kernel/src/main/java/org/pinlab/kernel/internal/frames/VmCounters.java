package org.pinlab.kernel.internal.frames;

/**
 * {@code vm_node_stat} and {@code vm_event_states}: the counters {@code /proc/vmstat}
 * prints, kept per machine. The FOLL_PIN pair is the pin accounting's, one per PAGE_SIZE.
 */
public final class VmCounters {

    private final long[] counts = new long[Vmstat.values().length];
    private final FolioPins pins;
    private final RunMetrics metrics;

    public VmCounters(FolioPins pins, RunMetrics metrics) {
        this.pins = pins;
        this.metrics = metrics;
    }

    public long vmstat(Vmstat item) {
        // nr_foll_pin_acquired/released are kept by the pin accounting, one per PAGE_SIZE pinned
        if (item == Vmstat.NR_FOLL_PIN_ACQUIRED && pins.hasTracker()) {
            return pins.accounting().pinsAcquired();
        }
        if (item == Vmstat.NR_FOLL_PIN_RELEASED && pins.hasTracker()) {
            return pins.accounting().pinsReleased();
        }
        return counts[item.ordinal()];
    }

    /** {@code mod_node_page_state} / {@code count_vm_events}. */
    public void count(Vmstat item, long delta) {
        long v = counts[item.ordinal()] += delta;
        if (item == Vmstat.NR_BOUNCE) {
            metrics.bouncePages(v);
        }
    }
}
