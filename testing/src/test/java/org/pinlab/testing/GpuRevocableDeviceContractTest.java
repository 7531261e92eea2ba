package org.pinlab.testing;

import java.util.Map;

import org.pinlab.api.device.DeviceType;
import org.pinlab.driver.gpu.internal.GpuType;

/** The shipped gpu bundle against the device contract with revocable=true, so revocation is checked. */
class GpuRevocableDeviceContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new GpuType();
    }

    @Override
    protected Map<String, String> parameters() {
        return Map.of("revocable", "true");
    }
}
