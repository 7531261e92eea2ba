package org.pinlab.testing;

import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;

/** The shipped tracked release strategy against the release strategy contract. */
class TrackedReleaseStrategyContractTest extends ReleaseStrategyContract {

    @Override
    protected ReleaseStrategy releaseStrategy() {
        return new TrackedReleaseStrategy();
    }
}
