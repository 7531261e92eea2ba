package org.pinlab.api.policy;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.lab.Pluggable;

/** Which GUP calls may pin at all ({@code check_vma_flags}). */
@ConsumerType
public interface AdmissionPolicy extends Pluggable {

    /** What a GUP call is about to pin: the kind of VMA {@code check_vma_flags} looks at. */
    enum Mapping {
        /** An anonymous VMA ({@code vma_is_anonymous}). */
        ANONYMOUS,
        /** A shared mapping of shmem or tmpfs: no writeback, no {@code page_mkwrite}. */
        SHMEM,
        /** A hugetlbfs mapping. */
        HUGETLB,
        /** A shared mapping of a file whose pages are written back ({@code vma_needs_dirty_tracking}). */
        FILE,
        /** A mapping of a file on a DAX mount ({@code vma_is_fsdax}), shared or private. */
        DAX,
        /**
         * A {@code MAP_PRIVATE} mapping of a non-DAX file ({@code is_cow_mapping}): a write, or a
         * long-term read-only pin, breaks COW into an anonymous page first, so no pin of it
         * ever writes the file; {@code writable_file_mapping_allowed} lets it through.
         */
        PRIVATE_FILE
    }

    /**
     * @param foll    the call's {@link org.pinlab.api.gup.Foll} flags
     * @param mapping the kind of mapping the range belongs to
     * @return 0 to admit, or a negative errno ({@link Errno#EFAULT} negated, as
     *         {@code check_vma_flags} refuses a long-term pin)
     */
    int admit(int foll, Mapping mapping);
}
