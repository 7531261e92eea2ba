package org.pinlab.testing;

import java.util.Objects;

import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.kernel.Choices;

/**
 * The lab as a live run sees it, for the release family only: the kernel asks at every
 * decision, and a test swaps the answer at a chosen step, as a swap in Karaf takes effect at
 * the next safe point. Every other family is the kernel's own.
 */
final class SwappableChoices implements Choices {

    private ReleaseStrategy release;

    SwappableChoices(ReleaseStrategy release) {
        this.release = Objects.requireNonNull(release, "release");
    }

    void swap(ReleaseStrategy next) {
        release = Objects.requireNonNull(next, "next");
    }

    @Override
    public <T extends Pluggable> T get(Family<T> family) {
        return family == Families.RELEASE ? family.cast(release) : Choices.kernelDefaults().get(family);
    }
}
