package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.kernel.Choices;

/** The live workload: findings accrue, stop after a swap, counters stay balanced, drivers come and go. */
class LiveRunTest {

    private final Implementations all = TestImplementations.all();
    private final Scenario seed001 = Catalog.load(all).stream()
            .filter(s -> s.name().equals("seed-001-rdma-ext4")).findFirst().orElseThrow();
    private LiveRun live;

    /** The lab as a live run sees it: a view whose answers change when a test swaps. */
    static final class Switchable implements Choices {
        final Implementations impls;
        volatile String release = "legacy";
        volatile String writeback = "write";
        volatile String reclaim = "legacy";

        Switchable(Implementations impls) {
            this.impls = impls;
        }

        void legacy() {
            release = "legacy";
            writeback = "write";
            reclaim = "legacy";
        }

        void fixed() {
            release = "tracked";
            writeback = "snapshot";
            reclaim = "keep-private";
        }

        @Override
        public <T extends Pluggable> T get(Family<T> family) {
            String name = family == Families.RELEASE ? release : family == Families.WRITEBACK ? writeback
                    : family == Families.RECLAIM ? reclaim : family.defaultChoice();
            return impls.get(family, name);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (live != null) {
            assertTrue(live.stop(60_000), "the live thread ends");
        }
    }

    private LiveRun start(Choices choices, AtomicReference<Implementations> impls) {
        live = new LiveRun(seed001, "live", Map.of(Families.ALLOCATOR.name(), "buddy",
                Families.PIN_LAYOUT.name(), "merged"), impls::get, choices, 1).start();
        return live;
    }

    /** Generous: these wait for the model to make progress, they do not time it. */
    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static long findingsAfter(LiveRun live, int boot) {
        return live.findings().stream().filter(f -> f.boot() > boot).count();
    }

    @Test
    void findingsAccrueUnderLegacyStopAfterTheSwapAndResumeWhenSwappedBack() throws InterruptedException {
        Switchable choices = new Switchable(all);
        LiveRun run = start(choices, new AtomicReference<>(all));
        awaitTrue("a BUG under legacy", () -> run.status().byKind().getOrDefault(FindingKind.BUG, 0) > 0);
        assertEquals(FindingKind.BUG, run.latestByKind().get(FindingKind.BUG).finding().kind());
        java.util.Set<FindingKind> seen = run.status().byKind().keySet();
        assertTrue(run.latestByKind().keySet().containsAll(seen), "a latest finding for every kind seen so far");

        choices.fixed();
        int swappedIn = run.status().boots();
        // pins taken under legacy may still be live in the boot that saw the swap: judge the boots after it
        awaitTrue("30 whole boots under the fix", () -> run.status().boots() > swappedIn + 31);
        choices.legacy();
        int swappedBack = run.status().boots();
        List<LiveRun.Boot> fixedBoots = run.boots().stream()
                .filter(b -> b.boot() > swappedIn && b.boot() < swappedBack).toList();
        assertTrue(fixedBoots.size() >= 30, fixedBoots.toString());
        for (LiveRun.Boot b : fixedBoots) {
            assertEquals("tracked", b.choicesAtEnd().get("release"), b.toString());
            assertEquals(0, b.findings(), "no finding under the fix: " + b);
            assertTrue(b.dmaMibPerSecond() > 0, "the NIC keeps doing DMA under the fix: " + b);
        }
        assertEquals(0, run.findings().stream()
                .filter(f -> f.boot() > swappedIn && f.boot() < swappedBack).count());

        awaitTrue("a BUG again after swapping back", () -> run.findings().stream()
                .anyMatch(f -> f.boot() > swappedBack && f.finding().kind() == FindingKind.BUG));
        assertEquals(0, run.status().unbalanced());
    }

    /**
     * A boot ends at the scenario's duration, at a machine-stopping finding, or when no task
     * and no timer is left; a slice in which every task sleeps past its end (here, nothing but
     * the flusher's timer until a truncate at 20 ms) is not the end.
     */
    @Test
    void aBootWhoseTasksAllSleepPastASliceRunsToItsDuration() throws InterruptedException {
        Scenario quiet = new ScenarioLoader(all).load("quiet.yaml", String.join("\n",
                "name: quiet",
                "cites: seed 002",
                "filesystems:",
                "  - {mount: /mnt, type: ext4, blocks: 256}",
                "files:",
                "  - {name: data, mount: /mnt, pages: 8}",
                "events:",
                "  - {at: 20ms, truncate: data, size: 0}",
                "duration: 40ms",
                "combinations:",
                "  legacy: {release: legacy}",
                ""));
        live = new LiveRun(quiet, "legacy", Map.of(Families.ALLOCATOR.name(), "buddy",
                Families.PIN_LAYOUT.name(), "merged"), () -> all, new Switchable(all), 1).start();
        awaitTrue("a whole boot", () -> !live.boots().isEmpty());
        LiveRun.Boot first = live.boots().get(0);
        assertEquals("end of the scenario's duration", first.ended(), first.toString());
        assertTrue(first.simulatedNs() >= 40_000_000L, first.toString());
    }

    /** {@code live status} lists findings by kind in the kinds' declared order, the same in every JVM. */
    @Test
    void findingsByKindAreListedInTheKindsOrder() throws InterruptedException {
        LiveRun run = start(new Switchable(all), new AtomicReference<>(all));
        awaitTrue("three kinds of finding", () -> run.status().byKind().size() >= 3);
        List<FindingKind> listed = List.copyOf(run.status().byKind().keySet());
        List<FindingKind> sorted = listed.stream().sorted().toList();
        assertEquals(sorted, listed);
    }

    @Test
    void countersStayBalancedThroughAHundredSwapsUnderLoad() throws InterruptedException {
        Switchable choices = new Switchable(all);
        LiveRun run = start(choices, new AtomicReference<>(all));
        awaitTrue("pins under way", () -> run.status().pinsAcquired() > 0 || run.status().boots() > 1);
        for (int i = 0; i < 100; i++) {
            if (i % 2 == 0) {
                choices.fixed();
            } else {
                choices.legacy();
            }
            long steps = run.status().totalSteps();
            awaitTrue("the machine moved on after swap " + i, () -> run.status().totalSteps() > steps);
        }
        assertTrue(run.stop(60_000));
        LiveRun.Status s = run.status();
        assertEquals(LiveRun.State.STOPPED, s.state());
        assertEquals("stopped; the figures are boot " + s.boots() + "'s, as it ended", s.waitingFor(),
                "figures shown after the run are labelled as the last boot's, never as current");
        assertEquals(0, s.unbalanced(), "pin counters disagreed with the tracker after some slice");
        assertEquals(s.pinsAcquired(), s.pinsReleased() + s.pinsLostInCrashes(),
                "every FOLL_PIN page acquired was released, or went down with a machine a BUG stopped: " + s);
        assertTrue(s.pinsLostInCrashes() < s.pinsAcquired(), s.toString());
        assertTrue(s.pinsAcquired() > 0, "tracked pins were taken: " + s);
        assertFalse(s.byKind().containsKey(FindingKind.PIN_LEAK), s.byKind().toString());
        assertTrue(run.pins().isEmpty(), "nothing outstanding after the clean stop: " + run.pins());
    }

    @Test
    void aDriverThatGoesAwayReleasesItsPinsAndComesBack() throws InterruptedException {
        Switchable choices = new Switchable(all);
        choices.fixed();
        AtomicReference<Implementations> impls = new AtomicReference<>(all);
        LiveRun run = start(choices, impls);
        awaitTrue("the NIC holds pins", () -> run.status().gauges() != null && run.status().gauges().pinned() > 0);

        impls.set(without(Families.DEVICE, "rdma"));
        run.implementationsChanged();
        awaitTrue("the NIC has released everything and is gone", () -> {
            LiveRun.Status s = run.status();
            return s.gauges() != null && s.devices().isEmpty() && s.gauges().grabs() == 0 && !s.detached().isEmpty();
        });
        int bootWithout = run.status().boots();
        awaitTrue("a boot without the driver", () -> run.status().boots() > bootWithout + 1);
        LiveRun.Status without = run.status();
        assertTrue(without.detached().get(0).contains("no rdma driver"), without.detached().toString());

        impls.set(all);
        run.implementationsChanged();
        awaitTrue("the NIC is back and pins again", () -> {
            LiveRun.Status s = run.status();
            return s.devices().contains("mlx5_0") && s.gauges().pinned() > 0;
        });
        assertEquals(0, run.status().unbalanced());
        assertFalse(run.status().byKind().containsKey(FindingKind.PIN_LEAK), run.status().byKind().toString());
    }

    @Test
    void aFilesystemThatGoesAwayIsSyncedAndTheMachineWaitsForIt() throws InterruptedException {
        Switchable choices = new Switchable(all);
        choices.fixed();
        AtomicReference<Implementations> impls = new AtomicReference<>(all);
        LiveRun run = start(choices, impls);
        awaitTrue("a running boot", () -> run.status().state() == LiveRun.State.RUNNING);

        impls.set(without(Families.FILESYSTEM, "ext4"));
        run.implementationsChanged();
        awaitTrue("waiting for ext4", () -> run.status().state() == LiveRun.State.WAITING);
        assertTrue(run.status().waitingFor().contains("ext4"), run.status().waitingFor());
        LiveRun.Boot last = run.boots().get(run.boots().size() - 1);
        assertTrue(last.ended().contains("went away: synced"), last.toString());
        assertEquals(0, last.findings(), "no leak and no lost write: " + last);

        impls.set(all);
        run.implementationsChanged();
        awaitTrue("running again", () -> run.status().state() == LiveRun.State.RUNNING
                && run.status().boots() > last.boot());
    }

    /** The implementations without one, as when its bundle stops. */
    private Implementations without(Family<?> family, String name) {
        Implementations out = new Implementations();
        for (Family<?> f : Families.ALL) {
            copy(out, f, f == family ? name : null);
        }
        return out;
    }

    private <T extends Pluggable> void copy(Implementations out, Family<T> f, String except) {
        for (String n : all.names(f)) {
            if (!n.equals(except)) {
                out.add(f, all.get(f, n));
            }
        }
    }

    /** The pin layout is fixed for a machine's life (Family.Swap.NEXT_BOOT): a swap lands at the next boot. */
    @Test
    void aPinLayoutSwappedDuringTheRunIsTheLayoutOfTheNextBoot() throws InterruptedException {
        AtomicReference<String> layout = new AtomicReference<>("merged");
        live = new LiveRun(seed001, "live", () -> Map.of(Families.ALLOCATOR.name(), "buddy",
                Families.PIN_LAYOUT.name(), layout.get()), () -> all, new Switchable(all), 1).start();
        awaitTrue("the first boot", () -> live.status().boots() >= 1);
        assertEquals("merged", live.status().machineFamilies().get(Families.PIN_LAYOUT.name()));
        layout.set("foll-pin-2019");
        int from = live.status().boots();
        awaitTrue("a later boot", () -> live.status().boots() > from + 1);
        assertEquals("foll-pin-2019", live.status().machineFamilies().get(Families.PIN_LAYOUT.name()));
        layout.set("no-such-layout");
        awaitTrue("waiting for the layout", () -> live.status().state() == LiveRun.State.WAITING
                && live.status().waitingFor().contains("pin-layout 'no-such-layout' is not registered"));
        layout.set("merged");
        awaitTrue("running again", () -> live.status().state() == LiveRun.State.RUNNING
                && "merged".equals(live.status().machineFamilies().get(Families.PIN_LAYOUT.name())));
    }
}
