package org.pinlab.testing;

import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;

/** The shipped legacy release strategy against the release strategy contract. */
class LegacyReleaseStrategyContractTest extends ReleaseStrategyContract {

    @Override
    protected ReleaseStrategy releaseStrategy() {
        return new LegacyReleaseStrategy();
    }
}
