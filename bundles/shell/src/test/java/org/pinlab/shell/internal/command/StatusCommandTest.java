package org.pinlab.shell.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.kernel.KernelDefaults;
import org.pinlab.kernel.Meter;

/** pinlab:status's rows: the live run's counts put under the bundle that registered each implementation. */
class StatusCommandTest {

    /** A lab with two release strategies and a reclaim policy from one bundle, another strategy from a second. */
    static final class TwoBundles implements Lab {

        @Override
        public List<org.pinlab.api.lab.SwapRequest> swaps(long afterRequest) {
            return List.of();
        }

        @Override
        public long lastSwap() {
            return 0;
        }

        final Map<Family<?>, List<Implementation>> byFamily;

        TwoBundles(Map<Family<?>, List<Implementation>> byFamily) {
            this.byFamily = byFamily;
        }

        @Override public List<Family<?>> families() { return Families.ALL; }
        @Override public Family<?> family(String name) { return Families.byName(name).orElseThrow(); }
        @Override public List<Implementation> available(Family<?> f) { return byFamily.getOrDefault(f, List.of()); }
        @Override public String configured(Family<?> f) { return f.defaultChoice(); }
        @Override public String effective(Family<?> f) { return f.defaultChoice(); }
        @Override public void use(Family<?> f, String name) { throw new UnsupportedOperationException(); }
        @Override public Implementations bound() { return new Implementations(); }
        @Override public long version() { return 0; }
        @Override public void addListener(Runnable l) { }
        @Override public void removeListener(Runnable l) { }
    }

    static Implementation impl(Family<?> f, String name, String bundle) {
        return new Implementation(f.name(), name, "", false, bundle, "1.2.0");
    }

    static <T extends Pluggable> T builtIn(Family<T> f) {
        return KernelDefaults.builtIn(f);
    }

    @Test
    void countsGoToTheBundleThatRegisteredTheImplementationMatchedByFamilyAndName() {
        ReleaseStrategy legacyRelease = builtIn(Families.RELEASE);
        ReclaimPolicy legacyReclaim = builtIn(Families.RECLAIM);
        Lab lab = new TwoBundles(Map.of(
                Families.RELEASE, List.of(impl(Families.RELEASE, legacyRelease.name(), "org.pinlab.strategies"),
                        impl(Families.RELEASE, "pin-writes", "com.example.pinwrites")),
                Families.RECLAIM, List.of(impl(Families.RECLAIM, legacyReclaim.name(), "org.pinlab.strategies"))));
        List<Meter.Count> counts = new ArrayList<>(List.of(
                new Meter.Count(legacyRelease, 10, 1, 0),
                new Meter.Count(legacyReclaim, 5, 0, 0)));

        List<StatusCommand.Row> byBundle = StatusCommand.rows(lab, counts, false);
        assertEquals(List.of("com.example.pinwrites", "org.pinlab.strategies"),
                byBundle.stream().map(StatusCommand.Row::bundle).toList(), "sorted by bundle");
        StatusCommand.Row strategies = byBundle.get(1);
        assertEquals(15, strategies.calls(), "both of the bundle's implementations");
        assertEquals(1, strategies.errors());
        assertEquals(2, strategies.implementations().size());
        assertEquals(0, byBundle.get(0).calls(), "registered but never reached");

        List<StatusCommand.Row> byImpl = StatusCommand.rows(lab, counts, true);
        assertEquals(3, byImpl.size());
        StatusCommand.Row release = byImpl.stream()
                .filter(r -> r.implementations().get(0).equals("release " + legacyRelease.name())).findFirst()
                .orElseThrow();
        assertEquals(10, release.calls(), "the reclaim policy of the same name is not the release strategy's");
    }

    @Test
    void theCountsOfAnImplementationNoLongerRegisteredStayVisible() {
        ReleaseStrategy gone = builtIn(Families.RELEASE);
        Lab lab = new TwoBundles(Map.of());
        List<StatusCommand.Row> rows = StatusCommand.rows(lab, List.of(new Meter.Count(gone, 7, 2, 3)), false);
        assertEquals(1, rows.size());
        assertEquals("(unregistered)", rows.get(0).bundle());
        assertEquals(7, rows.get(0).calls());
        assertEquals(3, rows.get(0).pagesHeld());
        assertEquals(2, rows.get(0).errors());
    }
}
