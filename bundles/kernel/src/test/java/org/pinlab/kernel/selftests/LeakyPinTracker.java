package org.pinlab.kernel.selftests;

import java.util.List;

import org.pinlab.api.gup.FolioCounters;
import org.pinlab.api.gup.PinAccounting;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.gup.PinTracker;
import org.pinlab.gup.internal.MergedPinTracker;

/** The merged layout, except that the first release is lost: a driver that forgets to unpin. */
final class LeakyPinTracker implements PinTracker {

    @Override
    public String name() {
        return "leaky";
    }

    @Override
    public String description() {
        return "loses the first release";
    }

    @Override
    public PinAccounting create(FolioCounters folios) {
        PinAccounting merged = new MergedPinTracker().create(folios);
        return new PinAccounting() {
            private boolean lost;

            @Override
            public int tryGrab(int pfn, int foll) {
                return merged.tryGrab(pfn, foll);
            }

            @Override
            public int tryGrabFolio(int pfn, int refs, int foll) {
                return merged.tryGrabFolio(pfn, refs, foll);
            }

            @Override
            public void ungrab(int pfn, int foll) {
                merged.ungrab(pfn, foll);
            }

            @Override
            public boolean maybeDmaPinned(int pfn) {
                return merged.maybeDmaPinned(pfn);
            }

            @Override
            public PinRecord record(String owner, int[] pfns, int foll) {
                return merged.record(owner, pfns, foll);
            }

            @Override
            public void release(PinRecord record, boolean dirty) {
                if (lost) {
                    merged.release(record, dirty);
                }
                lost = true;
            }

            @Override
            public List<PinRecord> outstanding() {
                return merged.outstanding();
            }

            @Override
            public long pinsAcquired() {
                return merged.pinsAcquired();
            }

            @Override
            public long pinsReleased() {
                return merged.pinsReleased();
            }
        };
    }
}
