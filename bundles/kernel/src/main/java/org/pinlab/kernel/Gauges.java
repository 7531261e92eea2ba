package org.pinlab.kernel;

import java.util.BitSet;
import java.util.List;

import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.mm.PageFlags;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.frames.FrameStore;
import org.pinlab.kernel.internal.frames.Vmstat;

/**
 * What a machine holds right now, the figures {@code top} shows: frames by state, the pin
 * counters and what is outstanding. Read on the machine's own thread; the record is
 * immutable and may be handed to others.
 *
 * @param simulatedNs     the machine's virtual clock
 * @param frames          physical frames
 * @param free            free frames ({@code nr_free_pages})
 * @param dirty           frames with PG_dirty
 * @param writeback       frames with PG_writeback
 * @param pinned          distinct frames held by an outstanding FOLL_PIN grab
 * @param referenced      distinct frames held by an outstanding FOLL_GET grab (legacy GUP)
 * @param bounce          bounce pages allocated now ({@code nr_bounce})
 * @param pinsAcquired    {@code nr_foll_pin_acquired}
 * @param pinsReleased    {@code nr_foll_pin_released}
 * @param outstandingPins FOLL_PIN pages the tracker holds records for (a page pinned twice counts twice)
 * @param grabs           outstanding GUP grabs of either kind
 * @param findings        findings so far
 */
public record Gauges(long simulatedNs, int frames, long free, int dirty, int writeback, int pinned, int referenced,
                     long bounce, long pinsAcquired, long pinsReleased, long outstandingPins, int grabs,
                     int findings) {

    /**
     * True when the pin counters agree exactly with the tracker: every FOLL_PIN page acquired
     * and not released has its outstanding record. Holds whenever no GUP call is half-way
     * (a batch grabs page by page and records the grab when it completes), so check it when
     * the machine is quiet, e.g. after {@link Machine#finish()}.
     */
    public boolean balanced() {
        return pinsAcquired - pinsReleased == outstandingPins;
    }

    /**
     * The invariant that holds after every step, GUP calls in progress included: the
     * counters never show fewer pins than the tracker has records for (which would be a
     * release counted twice, or a grab recorded without being counted).
     */
    public boolean consistent() {
        return pinsReleased <= pinsAcquired && pinsAcquired - pinsReleased >= outstandingPins;
    }

    static Gauges of(Kernel k, int findings) {
        FrameStore f = k.frames;
        int dirty = 0;
        int writeback = 0;
        for (int pfn = 0; pfn < f.frames(); pfn++) {
            int flags = f.flags(pfn);
            if ((flags & PageFlags.DIRTY) != 0) {
                dirty++;
            }
            if ((flags & PageFlags.WRITEBACK) != 0) {
                writeback++;
            }
        }
        List<PinRecord> outstanding = k.pins.hasTracker() ? k.pins.accounting().outstanding() : List.of();
        BitSet pinned = new BitSet(f.frames());
        BitSet referenced = new BitSet(f.frames());
        long pinPages = 0;
        for (PinRecord r : outstanding) {
            BitSet into = r.pinned() ? pinned : referenced;
            for (int pfn : r.pfns()) {
                into.set(pfn);
            }
            if (r.pinned()) {
                pinPages += r.pfns().length;
            }
        }
        return new Gauges(k.engine.now(), f.frames(), k.vm.vmstat(Vmstat.NR_FREE_PAGES), dirty, writeback,
                pinned.cardinality(), referenced.cardinality(), k.vm.vmstat(Vmstat.NR_BOUNCE),
                k.vm.vmstat(Vmstat.NR_FOLL_PIN_ACQUIRED), k.vm.vmstat(Vmstat.NR_FOLL_PIN_RELEASED), pinPages,
                outstanding.size(), findings);
    }
}
