package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/** Which GUP calls may pin at all ({@code check_vma_flags}). */
@ConsumerType
public interface AdmissionPolicy extends Pluggable {

    /** -EFAULT, as {@code check_vma_flags} returns for a refused long-term pin. */
    int EFAULT = -14;

    /** What a GUP call is about to pin. */
    enum Mapping {
        ANONYMOUS, SHMEM, HUGETLB, FILE, DAX
    }

    /**
     * @param foll    the call's {@link org.pinlab.api.gup.Foll} flags
     * @param mapping the kind of mapping the range belongs to
     * @return 0 to admit, or a negative errno
     */
    int admit(int foll, Mapping mapping);
}
