package org.pinlab.kernel.internal.mm.vmscan;

import org.pinlab.api.mm.Watermark;
import org.pinlab.kernel.Cost;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Task;

/**
 * kswapd ({@code kswapd()} -> {@code balance_pgdat}): sleeps until an allocation finds free
 * memory below the low watermark, then reclaims until it is back above the high one, or
 * until a pass frees nothing (then it backs off and sleeps again).
 */
public final class Kswapd extends Proc {

    private static final int BATCH = 32; // SWAP_CLUSTER_MAX

    private final Vmscan k;
    private ShrinkNode pass;

    public Kswapd(Vmscan k) {
        super("kswapd");
        this.k = k;
    }

    /** {@code kswapd_try_to_sleep}, then see what the {@code balance_pgdat} pass reclaimed. */
    private enum Step implements Proc.State { TRY_TO_SLEEP, CHECK_RECLAIMED }

    private static final Step[] STEPS = byPc(Step.values());

    @Override
    protected int step(Task t) {
        switch (STEPS[pc]) {
            case TRY_TO_SLEEP:
                if (k.pageAlloc.balanced(Watermark.HIGH)) {
                    return t.idle(k.pageAlloc.kswapdWait);
                }
                pass = new ShrinkNode(k, BATCH, true);
                resume(Step.CHECK_RECLAIMED);
                return t.call(pass);
            case CHECK_RECLAIMED:
                resume(Step.TRY_TO_SLEEP);
                if (pass.reclaimed == 0) {
                    // nothing reclaimable: kswapd_failures, back off before trying again
                    return t.idleFor(k.pageAlloc.kswapdWait, k.cost(Cost.KSWAPD_BACKOFF));
                }
                return t.next(k.cost(Cost.CPU_STEP));
            default:
                throw new IllegalStateException("kswapd: bad pc " + pc);
        }
    }
}
