package org.pinlab.strategies.internal.admission;

import org.osgi.service.component.annotations.Component;
import org.pinlab.api.policy.AdmissionPolicy;

/** Before v6.5: every pin is admitted, whatever it maps. */
@Component(service = AdmissionPolicy.class, property = "name=allow")
public final class AdmitAllPins implements AdmissionPolicy {

    @Override
    public String name() {
        return "allow";
    }

    @Override
    public String description() {
        return "Every GUP call is admitted, as before Linux 6.5: check_vma_flags() lets writable "
                + "long-term pins of file mappings through, so RDMA can register page-cache "
                + "memory. Risk: everything the other policies must then cope with, a device "
                + "dirtying file pages indefinitely behind the filesystem's back.";
    }

    @Override
    public int admit(int foll, Mapping mapping) {
        return 0;
    }
}
