package org.pinlab.testing;

import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.strategies.internal.release.BounceReleaseStrategy;

/** The shipped bounce release strategy against the release strategy contract. */
class BounceReleaseStrategyContractTest extends ReleaseStrategyContract {

    @Override
    protected ReleaseStrategy releaseStrategy() {
        return new BounceReleaseStrategy();
    }
}
