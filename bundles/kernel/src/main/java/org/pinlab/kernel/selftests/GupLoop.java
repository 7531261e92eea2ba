package org.pinlab.kernel.selftests;

import java.util.ArrayList;
import java.util.List;

import org.pinlab.api.gup.PinRecord;
import org.pinlab.kernel.internal.Kernel;
import org.pinlab.kernel.internal.mm.Mm;
import org.pinlab.kernel.internal.mm.gup.GetUserPages;
import org.pinlab.kernel.internal.mm.gup.GupFast;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/** The timed loop of {@code __gup_test_ioctl}: {@code -n} pages a call until the buffer ends or a call takes none. */
final class GupLoop extends Proc {

    private final Kernel k;
    private final Mm mm;
    private final int[][] callPages;
    private final int foll;
    private final boolean fast;
    private long next;
    private int call;
    private GupFast fastCall;
    private GetUserPages slowCall;
    final List<PinRecord> records = new ArrayList<>();
    int pages;

    /** @param callPages each call's {@code pages[]}, in order: their lengths are the calls' {@code nr_pages} */
    GupLoop(Kernel k, Mm mm, long startVpn, int[][] callPages, int foll, boolean fast) {
        super("__gup_test_ioctl");
        this.k = k;
        this.mm = mm;
        this.next = startVpn;
        this.callPages = callPages;
        this.foll = foll;
        this.fast = fast;
    }

    /** Before the first call, then after each call returned. */
    private enum Step implements Proc.State { START, CALL_RETURNED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        if (STEPS[pc] == Step.CALL_RETURNED) {
            int nr = fast ? fastCall.result : slowCall.result;
            if (nr <= 0) {
                return t.ret(); // if (nr <= 0) break;
            }
            records.add(fast ? fastCall.record() : slowCall.record());
            pages += nr;
        }
        if (call == callPages.length) {
            return t.ret();
        }
        int[] into = callPages[call++];
        int nr = into.length;
        long addr = next;
        next += nr;
        resume(Step.CALL_RETURNED);
        if (fast) {
            // get_user_pages_fast / pin_user_pages_fast(addr, nr, flags, pages + i)
            fastCall = new GupFast(k.gup, mm, addr, nr, foll, GupTest.OWNER, into);
            return t.call(fastCall);
        }
        slowCall = GetUserPages.accounted(k.gup, mm, addr, nr, foll, GupTest.OWNER, into); // get_user_pages / pin_user_pages
        return t.call(slowCall);
    }
}
