package org.pinlab.testing;

import org.pinlab.api.errno.Errno;
import org.pinlab.api.policy.AdmissionPolicy;

/** A bundle author's admission policy, as the discovery tests describe it in OSGI-INF. */
public class RefuseEveryPin implements AdmissionPolicy {

    @Override
    public String name() {
        return "refuse-every-pin";
    }

    @Override
    public String description() {
        return "Refuses every pin (a test fixture).";
    }

    @Override
    public int admit(int foll, Mapping mapping) {
        return Errno.EFAULT.negative();
    }
}
