package org.pinlab.kernel.selftests;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.gup.Foll;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.kernel.internal.mm.gup.GupFast;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * {@code pin_longterm_test_start} (mm/gup_test.c, v6.12), the ioctl behind gup_longterm's
 * GUP cases: {@code pin_user_pages} or, with {@code PIN_LONGTERM_TEST_FLAG_USE_FAST},
 * {@code pin_user_pages_fast}, with FOLL_LONGTERM (and FOLL_WRITE for R/W), called until the
 * whole range is pinned; the first error unpins everything taken ({@code
 * pin_longterm_test_stop}) and is the ioctl's result. Departure: the slow path takes
 * {@code mmap_lock} per call, where the ioctl holds it across its loop.
 */
final class PinLongtermTestStart extends Proc {

    private final Kernel k;
    private final Mm mm;
    private final long startVpn;
    private final int nrPages;
    private final int foll;
    private final boolean fast;
    private final String owner;
    private GupFast fastCall;
    private GetUserPages slowCall;
    private int pinned;
    /** The calls' pins, released by {@link #stop} ({@code PIN_LONGTERM_TEST_STOP}). */
    final List<PinRecord> records = new ArrayList<>();
    /** 0 once every page is pinned, else the negative errno of the call that failed. */
    int result;

    PinLongtermTestStart(Kernel k, Mm mm, long startVpn, int nrPages, boolean write, boolean fast, String owner) {
        super("pin_longterm_test_start");
        this.k = k;
        this.mm = mm;
        this.startVpn = startVpn;
        this.nrPages = nrPages;
        this.foll = Foll.PIN | Foll.LONGTERM | (write ? Foll.WRITE : 0);
        this.fast = fast;
        this.owner = owner;
    }

    /** Before the first call, then after each call returned. */
    private enum Step implements Proc.State { PIN, PIN_RETURNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        if (STEPS[pc] == Step.PIN_RETURNED) {
            int cur = fast ? fastCall.result : slowCall.result;
            if (cur < 0) {
                stop(); // pin_longterm_test_stop: unpin what the earlier calls took
                result = cur;
                return t.ret();
            }
            records.add(fast ? fastCall.record() : slowCall.record());
            pinned += cur;
        }
        int remaining = nrPages - pinned;
        if (remaining == 0) {
            result = 0;
            return t.ret();
        }
        long addr = startVpn + pinned;
        resume(Step.PIN_RETURNED);
        if (fast) {
            fastCall = new GupFast(k.gup, mm, addr, remaining, foll, owner); // pin_user_pages_fast
            return t.call(fastCall);
        }
        slowCall = GetUserPages.accounted(k.gup, mm, addr, remaining, foll, owner); // pin_user_pages
        return t.call(slowCall);
    }

    /** {@code pin_longterm_test_stop}: {@code unpin_user_pages} on everything pinned. */
    void stop() {
        for (PinRecord r : records) {
            k.pins.accounting().release(r, false);
        }
        records.clear();
        pinned = 0;
    }
}
