package org.pinlab.testing;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.gup.Foll;
import org.pinlab.api.policy.ReleaseStrategy;

/** The release strategy contract fails a strategy that grabs write requests read-only. */
class ReleaseStrategyContractCatchesBreakageTest {

    @Test
    void writeGrabsWithoutFollWriteFailTheFlagAndFilesystemChecks() {
        ContractOutcomes.of(ReadOnlyGrabsContract.class).assertExactly(
                Set.of("grabFlagsAreAValidGupCallMatchingTheRequest", "aWriteGrabLetsTheFilesystemSeeTheDevicesWrite"),
                Set.of("pinsTakenAndReleasedLeaveEveryCountAsBeforeUnderEveryPinLayout",
                        "aPinIsReleasedTheWayItWasTakenAcrossALiveSwap"),
                Set.of());
    }

    /** Not run by surefire on its own (nested): the suite against the broken strategy. */
    static class ReadOnlyGrabsContract extends ReleaseStrategyContract {
        @Override
        protected ReleaseStrategy releaseStrategy() {
            return new ReadOnlyGrabs();
        }
    }

    /**
     * Pins without FOLL_WRITE even when the driver will write, yet the driver's release dirties
     * the pages: its grab does not match its release, and page_mkwrite never runs.
     */
    static final class ReadOnlyGrabs implements ReleaseStrategy {

        @Override
        public int grabFlags(boolean write, boolean longterm) {
            return Foll.PIN | (longterm ? Foll.LONGTERM : 0); // the breakage: FOLL_WRITE dropped
        }

        @Override
        public boolean bounceFileWrites() {
            return false;
        }

        @Override
        public String name() {
            return "read-only-grabs";
        }

        @Override
        public String description() {
            return "a broken release strategy for the contract's own test";
        }
    }
}
