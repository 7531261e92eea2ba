package org.pinlab.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.device.Device;
import org.pinlab.api.device.DeviceContext;
import org.pinlab.api.device.DeviceType;
import org.pinlab.api.device.DmaMap;
import org.pinlab.api.device.Parameter;

/** The device contract fails a device that DMAs into a page after releasing its pin. */
class DeviceContractCatchesBreakageTest {

    @Test
    void aDmaAfterReleaseFailsTheDmaCheckOnly() {
        ContractOutcomes.of(DmaAfterReleaseContract.class).assertExactly(
                Set.of("everyDmaTargetsAPageTheDeviceHoldsPinned"),
                Set.of("pinsAcquiredEqualPinsReleasedAfterTheWorkloadAndDetach", "aShortPinIsReleasedExactlyAsItCameBack"),
                Set.of("aRevokedMappingIsGivenBackAndNoLongerAccessed"));
    }

    /** Not run by surefire on its own (nested): the suite against the broken device. */
    static class DmaAfterReleaseContract extends DeviceContract {
        @Override
        protected DeviceType deviceType() {
            return new DmaAfterRelease();
        }
    }

    /**
     * Pins four pages from page 6, writes the first by DMA, releases the mapping dirty, then
     * writes the frame it remembered by physical address: the frame is no longer its to touch.
     */
    static final class DmaAfterRelease implements DeviceType {

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }

        @Override
        public Device create(DeviceContext context, Map<String, String> params) {
            return new Device() {
                private int pfn = -1;
                private DmaMap map;

                @Override
                public boolean step(DeviceContext ctx) {
                    if (ctx.mapped() != null) {
                        map = ctx.mapped();
                        pfn = map.pfn(0);
                        ctx.deviceWrite(map, 0);
                        ctx.release(map, true);
                        return true;
                    }
                    if (map != null) {
                        map = null;
                        ctx.deviceWriteFrame(pfn); // the breakage: the pin is gone
                        ctx.sleep(1_000_000);
                        return true;
                    }
                    ctx.pin(ctx.buffers().get(0), 6, 4, true, false);
                    return true;
                }
            };
        }

        @Override
        public String name() {
            return "dma-after-release";
        }

        @Override
        public String description() {
            return "a broken device for the contract's own test";
        }
    }
}
