package ${package}.internal;

import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.testing.ReleaseStrategyContract;

/** The SPI's rules for a ReleaseStrategy, checked in the model kernel: the same suite the shipped bundles pass. */
class ${classPrefix}ContractTest extends ReleaseStrategyContract {

    @Override
    protected ReleaseStrategy releaseStrategy() {
        return new ${classPrefix}ReleaseStrategy();
    }
}
