package ${package}.internal;

import org.pinlab.api.device.DeviceType;
import org.pinlab.testing.DeviceContract;

/** The SPI's rules for a DeviceType, checked in the model kernel: the same suite the shipped bundles pass. */
class ${classPrefix}ContractTest extends DeviceContract {

    @Override
    protected DeviceType deviceType() {
        return new ${classPrefix}DeviceType();
    }
}
