package org.pinlab.kernel.internal;

import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.KernelDefaults;
import org.pinlab.strategies.internal.admission.AdmitAllPins;
import org.pinlab.strategies.internal.reclaim.ReclaimPinnedPages;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.truncate.ProceedWithTruncate;
import org.pinlab.strategies.internal.writeback.WritePinnedPages;

/**
 * Mutable policy choices for tests: start from today's kernel (the strategies bundle's
 * legacy/write/legacy/proceed/allow) and swap any family, as the lab does live.
 */
public final class Picks implements Choices {

    public ReleaseStrategy release = new LegacyReleaseStrategy();
    public WritebackPolicy writeback = new WritePinnedPages();
    public ReclaimPolicy reclaim = new ReclaimPinnedPages();
    public TruncatePolicy truncate = new ProceedWithTruncate();
    public AdmissionPolicy admission = new AdmitAllPins();

    public Picks release(ReleaseStrategy r) {
        release = r;
        return this;
    }

    public Picks writeback(WritebackPolicy w) {
        writeback = w;
        return this;
    }

    public Picks reclaim(ReclaimPolicy r) {
        reclaim = r;
        return this;
    }

    public Picks truncate(TruncatePolicy t) {
        truncate = t;
        return this;
    }

    public Picks admission(AdmissionPolicy a) {
        admission = a;
        return this;
    }

    @Override
    public <T extends Pluggable> T get(Family<T> family) {
        Object p = family == Families.RELEASE ? release : family == Families.WRITEBACK ? writeback
                : family == Families.RECLAIM ? reclaim : family == Families.TRUNCATE ? truncate
                : family == Families.ADMISSION ? admission : null;
        return p != null ? family.type().cast(p) : KernelDefaults.builtIn(family);
    }
}
