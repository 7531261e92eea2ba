package org.pinlab.testing;

import org.pinlab.api.device.DeviceType;
import org.pinlab.driver.nvme.internal.NvmeType;

/** The shipped nvme bundle against the device contract, with its default parameters. */
class NvmeDeviceContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new NvmeType();
    }
}
