package org.pinlab.testing;

import org.pinlab.api.device.DeviceType;
import org.pinlab.driver.rdma.internal.RdmaType;

/** The shipped rdma bundle against the device contract, with its default parameters. */
class RdmaDeviceContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new RdmaType();
    }
}
