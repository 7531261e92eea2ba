package org.pinlab.kernel;

import org.osgi.annotation.versioning.ProviderType;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;

/**
 * The implementation of each policy family a machine uses. The kernel asks at every
 * decision, inside one atomic step: a batch run passes {@link #fixed} choices, a live run
 * a view of the lab that follows swaps, so a swap takes effect at the next safe point.
 * The kernel bundle implements it ({@link #fixed}, and the lab's live view); others pass it on,
 * so a new family is a minor change.
 */
@ProviderType
public interface Choices {

    ReleaseStrategy release();

    WritebackPolicy writeback();

    ReclaimPolicy reclaim();

    TruncatePolicy truncate();

    AdmissionPolicy admission();

    /** Fixed choices for a batch run. */
    static Choices fixed(ReleaseStrategy release, WritebackPolicy writeback, ReclaimPolicy reclaim,
                         TruncatePolicy truncate, AdmissionPolicy admission) {
        record Fixed(ReleaseStrategy release, WritebackPolicy writeback, ReclaimPolicy reclaim,
                     TruncatePolicy truncate, AdmissionPolicy admission) implements Choices {
        }
        return new Fixed(release, writeback, reclaim, truncate, admission);
    }

    /** The unmodified kernel: what a machine does when nothing else is chosen or available. */
    static Choices kernelDefaults() {
        return KernelDefaults.CHOICES;
    }
}
