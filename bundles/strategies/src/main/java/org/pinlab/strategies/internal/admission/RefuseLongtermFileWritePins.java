package org.pinlab.strategies.internal.admission;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.errno.Errno;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.AdmissionPolicy;

/** The v6.5 kernel: check_vma_flags refuses writable long-term pins of dirty-tracked file mappings. */
@Component(service = AdmissionPolicy.class, property = "name=no-longterm-file-write")
public final class RefuseLongtermFileWritePins implements AdmissionPolicy {

    private static final int LONGTERM_WRITE = Foll.LONGTERM | Foll.WRITE;

    @Override
    public String name() {
        return "no-longterm-file-write";
    }

    @Override
    public String description() {
        return "The kernel since Linux 6.5: check_vma_flags() returns -EFAULT for a FOLL_LONGTERM "
                + "FOLL_WRITE pin of a dirty-tracked file mapping (writable_file_mapping_allowed); "
                + "anonymous, shmem and hugetlb memory may still be pinned, and short-term pins "
                + "(O_DIRECT) are still allowed, so the race remains for them. Risk: RDMA and "
                + "other long-term users on file memory stop working.";
    }

    @Override
    public int admit(int foll, Mapping mapping) {
        // DAX is admitted here: fsdax refuses long-term pins itself (-EOPNOTSUPP), which is the
        // filesystem's business, not check_vma_flags'.
        boolean longtermWrite = (foll & LONGTERM_WRITE) == LONGTERM_WRITE;
        return longtermWrite && mapping == Mapping.FILE ? Errno.EFAULT.negative() : 0;
    }
}
