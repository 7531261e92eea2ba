package org.pinlab.testing;

import java.util.Map;

import org.pinlab.api.device.DeviceType;
import org.pinlab.driver.rdma.internal.RdmaType;

/** The shipped rdma bundle against the device contract with revocable=true, so revocation is checked. */
class RdmaRevocableDeviceContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new RdmaType();
    }

    @Override
    protected Map<String, String> parameters() {
        return Map.of("revocable", "true");
    }
}
