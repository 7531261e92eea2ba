package org.pinlab.kernel;

import java.util.IdentityHashMap;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;

/**
 * The implementation of each chosen family a machine decides with. The kernel asks at every
 * decision, inside one atomic step: a batch run passes {@link #fixed} choices, a live run
 * a view of the lab that follows swaps, so a swap takes effect at the next safe point.
 * The typed accessors are the kernel's own reads of the families it decides with.
 * The kernel bundle implements it ({@link #fixed}, and the lab's live view); others pass it on.
 */
@ProviderType
public interface Choices {

    /**
     * The implementation in force for a {@link Family.Kind#CHOSEN} family that machines
     * decide with while they run ({@link Family.Swap#NEXT_DECISION}); never null.
     */
    <T extends Pluggable> T get(Family<T> family);

    default ReleaseStrategy release() {
        return get(Families.RELEASE);
    }

    default WritebackPolicy writeback() {
        return get(Families.WRITEBACK);
    }

    default ReclaimPolicy reclaim() {
        return get(Families.RECLAIM);
    }

    default TruncatePolicy truncate() {
        return get(Families.TRUNCATE);
    }

    default AdmissionPolicy admission() {
        return get(Families.ADMISSION);
    }

    /**
     * Fixed choices for a batch run; a family not given takes the kernel's own behaviour.
     *
     * @throws IllegalArgumentException if an implementation is not of its family's type
     */
    static Choices fixed(Map<Family<?>, ? extends Pluggable> chosen) {
        Map<Family<?>, Pluggable> copy = new IdentityHashMap<>();
        for (Map.Entry<Family<?>, ? extends Pluggable> e : chosen.entrySet()) {
            if (!e.getKey().type().isInstance(e.getValue())) {
                throw new IllegalArgumentException(e.getValue().name() + " is not a " + e.getKey().name());
            }
            copy.put(e.getKey(), e.getValue());
        }
        return new Choices() {
            @Override
            public <T extends Pluggable> T get(Family<T> family) {
                Pluggable p = copy.get(family);
                return p != null ? family.cast(p) : KernelDefaults.builtIn(family);
            }
        };
    }

    /** The unmodified kernel: what a machine does when nothing else is chosen or available. */
    static Choices kernelDefaults() {
        return KernelDefaults.CHOICES;
    }
}
