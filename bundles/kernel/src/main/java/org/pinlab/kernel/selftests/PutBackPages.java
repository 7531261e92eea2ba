package org.pinlab.kernel.selftests;

import java.util.List;

import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.Cost;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code put_back_pages} (mm/gup_test.c): {@code unpin_user_pages} for pins, {@code put_page}
 * on each page for FOLL_GET, in one step; the clock is charged per page from the cost
 * table ({@link Cost#UNPIN_PAGE}, or {@link Cost#CPU_STEP} for a {@code put_page}, as the
 * fast path charges a FOLL_GET grab).
 */
final class PutBackPages extends Proc {

    private final Kernel k;
    private final List<PinRecord> records;
    private final int pages;
    private final int foll;

    PutBackPages(Kernel k, List<PinRecord> records, int pages, int foll) {
        super("put_back_pages");
        this.k = k;
        this.records = records;
        this.pages = pages;
        this.foll = foll;
    }

    /** Unpin everything in one step, then return. */
    private enum Step implements Proc.State { UNPIN, UNPINNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        if (STEPS[pc] == Step.UNPINNED) {
            return t.ret();
        }
        for (PinRecord r : records) {
            k.pins.accounting().release(r, false); // unpin_user_pages, or put_page for FOLL_GET
        }
        resume(Step.UNPINNED);
        return t.next((long) pages * k.costs.ns((foll & Foll.PIN) != 0 ? Cost.UNPIN_PAGE : Cost.CPU_STEP));
    }
}
