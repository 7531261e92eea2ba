package org.pinlab.testing;

import org.pinlab.api.device.DeviceType;
import org.pinlab.driver.gpu.internal.GpuType;

/** The shipped gpu bundle against the device contract, with its default parameters. */
class GpuDeviceContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new GpuType();
    }
}
