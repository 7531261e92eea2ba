package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.lab.Pluggable;

/** Which GUP calls may pin at all ({@code check_vma_flags}). */
@ConsumerType
public interface AdmissionPolicy extends Pluggable {

    /** What a GUP call is about to pin. */
    enum Mapping {
        ANONYMOUS, SHMEM, HUGETLB, FILE, DAX
    }

    /**
     * @param foll    the call's {@link org.pinlab.api.gup.Foll} flags
     * @param mapping the kind of mapping the range belongs to
     * @return 0 to admit, or a negative errno ({@link Errno#EFAULT} negated, as
     *         {@code check_vma_flags} refuses a long-term pin)
     */
    int admit(int foll, Mapping mapping);
}
