package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pinlab.api.families.Families;
import org.pinlab.api.finding.Finding;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.api.gup.PinRecord;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.mm.MemoryLayout;
import org.pinlab.api.mm.Zone;
import org.pinlab.kernel.Machine;
import org.pinlab.sim.Schedulers;

/**
 * Every catalog scenario meets the findings it declares, per combination, over its own seeds;
 * and the figures that make a clean combination meaningful are there (a snapshot written, a
 * page taken off the LRU, a deadlock-free seed that lockdep still flags).
 */
class CatalogTest {

    private static final Implementations IMPLS = TestImplementations.all();
    /** Each combination of each catalog scenario over the scenario's own seeds, by "scenario/combination". */
    private static final Map<String, Comparison.Row> ROWS = new LinkedHashMap<>();

    @BeforeAll
    static void runTheWholeCatalog() throws InterruptedException {
        for (Scenario s : Catalog.load(IMPLS)) {
            for (Comparison.Row row : new Comparison(IMPLS).run(List.of(s), s.seeds(), 2, null).rows()) {
                ROWS.put(s.name() + "/" + row.combination(), row);
            }
        }
    }

    private static Comparison.Row row(String scenario, String combination) {
        Comparison.Row r = ROWS.get(scenario + "/" + combination);
        assertNotNull(r, "no catalog row " + scenario + "/" + combination + "; rows: " + ROWS.keySet());
        return r;
    }

    private static int runsWith(Comparison.Row r, FindingKind kind) {
        return r.runsWithFinding().getOrDefault(kind, 0);
    }

    @Test
    void everyCatalogScenarioMeetsItsExpectations() {
        List<Scenario> catalog = Catalog.load(IMPLS);
        assertEquals(Catalog.names().size(), catalog.size());
        for (Scenario s : catalog) {
            assertFalse(s.cites().isBlank(), s.name() + " must cite its seed");
            assertFalse(s.expectations().isEmpty(), s.name() + " must declare expectations");
            assertEquals(s.combinations().keySet(), s.expectations().keySet(),
                    s.name() + " must declare the findings of every combination");
            for (String c : s.combinations().keySet()) {
                Comparison.Row row = row(s.name(), c);
                assertTrue(row.meetsExpectations(), s.name() + "/" + c + ": " + row.violations());
            }
        }
    }

    @Test
    void everyCatalogFileOpensWithACommentCitingItsSeedAndWhatItShows() {
        for (String name : Catalog.names()) {
            StringBuilder header = new StringBuilder();
            for (String line : Catalog.yaml(name).split("\n")) {
                if (!line.startsWith("#")) {
                    break;
                }
                header.append(line).append('\n');
            }
            assertTrue(header.toString().matches("(?s)# Seeds? 00\\d.*"), name + " must open with '# Seed 00N': "
                    + header);
            assertTrue(header.toString().contains("# Shows: "), name + " must say what it shows: " + header);
        }
    }

    @Test
    void snapshotWritebackIsCleanBecauseItWroteSnapshotsNotBecauseNothingMetWriteback() {
        for (String scenario : List.of("seed-004-skip-writeback", "seed-002-odirect-nvme", "seed-001-rdma-ext4")) {
            String combination = scenario.equals("seed-004-skip-writeback") ? "snapshot" : "fixed";
            Comparison.Row r = row(scenario, combination);
            assertEquals("snapshot", r.choices().get(Families.WRITEBACK.name()));
            assertTrue(r.runsWithFinding().isEmpty(), scenario + ": " + r.runsWithFinding());
            assertTrue(r.copyBytes() > 0, scenario + "/" + combination + " copied no snapshot");
        }
        assertEquals(runsOf("seed-004-skip-writeback"), runsWith(row("seed-004-skip-writeback", "skip"),
                FindingKind.FSYNC_LIED), "skipping pinned pages lies to fsync on every seed");
    }

    @Test
    void keepPrivateAskingAfterTheUnmapIsCleanBecauseItKeptPinnedPagesWhereAskingBeforeLetsSomeBy() {
        Comparison.Row merged = row("keep-private-gup-fast", "keep-private");
        Comparison.Row early = row("keep-private-gup-fast", "keep-private-early");
        assertTrue(merged.runsWithFinding().isEmpty(), "keep-private: " + merged.runsWithFinding());
        assertTrue(merged.unreclaimable() > 0, "keep-private met pinned pages and kept them: " + merged.unreclaimable());
        assertTrue(early.unreclaimable() > 0, "keep-private-early kept pinned pages too: " + early.unreclaimable());
        int lost = runsWith(early, FindingKind.PINNED_PRIVATE_RECLAIMED);
        assertTrue(lost > 0 && lost < runsOf("keep-private-gup-fast"),
                "a pin between the early question and the unmap is a race, won on some seeds only: " + lost);
        assertEquals(Map.of(FindingKind.PINNED_PRIVATE_RECLAIMED, lost), early.runsWithFinding(),
                "and nothing else follows from it here: the disk only reads the pages");
    }

    @Test
    void onAStableWritesDiskOnlyTheDevicesDmaTearsAndOnAPlainDiskNothingDoes() throws InterruptedException {
        // folio_wait_stable holds back the CPU's stores and write()s; a device's DMA is never held back
        String name = "stable-pages-nvme-pi";
        for (String c : List.of("legacy", "tracked")) {
            assertEquals(runsOf(name), runsWith(row(name, c), FindingKind.TORN_WRITE), c + " tears on every seed");
        }
        for (String c : List.of("wait", "snapshot")) {
            assertTrue(row(name, c).runsWithFinding().isEmpty(), c + ": " + row(name, c).runsWithFinding());
        }
        String plainYaml = Catalog.yaml(name).replace("stable-writes: true", "stable-writes: false");
        assertFalse(plainYaml.equals(Catalog.yaml(name)), "the catalog file names its disk's stable writes");
        Scenario plain = new ScenarioLoader(IMPLS).load(name + ".yaml", plainYaml);
        for (Comparison.Row r : new Comparison(IMPLS).run(List.of(plain), plain.seeds(), 2, null).rows()) {
            assertEquals(0, runsWith(r, FindingKind.TORN_WRITE), "plain disk, " + r.combination());
        }
    }

    @Test
    void isolateLruTakesPinnedPagesOffTheLruWhereKeepPrivateRescansThem() {
        Comparison.Row isolate = row("seed-002-isolate-lru", "isolate-lru");
        Comparison.Row keep = row("seed-002-isolate-lru", "keep-private");
        // both fixes run clean; the figure says what reclaim could not free, and how often it looked
        assertTrue(isolate.unreclaimable() >= runsOf("seed-002-isolate-lru"),
                "pinned pages taken off the LRU on every seed: " + isolate.unreclaimable());
        assertTrue(keep.unreclaimable() > 0, "keep-private met pinned pages: " + keep.unreclaimable());
    }

    @Test
    void theOldPagemapReaderIsFlaggedOnEverySeedAndDeadlocksOnlyOnSome() {
        Comparison.Row old = row("seed-003-pagemap-deadlock", "old");
        int seeds = runsOf("seed-003-pagemap-deadlock");
        assertEquals("old", old.choices().get(Scenario.PAGEMAP_READ));
        assertEquals(seeds, runsWith(old, FindingKind.LOCK_INVERSION), "lockdep flags every schedule");
        int deadlocks = runsWith(old, FindingKind.DEADLOCK);
        assertTrue(deadlocks > 0 && deadlocks < seeds, "some schedules deadlock, not all: " + deadlocks);
        assertTrue(row("seed-003-pagemap-deadlock", "fixed").runsWithFinding().isEmpty());
    }

    @Test
    void getGupPinPageOfTheFebruary2019RfcWarnsOnANegativeRefcountLeftByMorePutsThanGets() {
        // seed 000: get_gup_pin_page (RFC "mm/gup: track gup-pinned pages", Feb 2019) via
        // follow_page_pte, after follow_trans_huge_pmd's unconverted get_page and put_user_page
        String name = "seed-000-rfc-negative-refcount";
        Scenario s = new ScenarioLoader(IMPLS).load("catalog:" + name, Catalog.yaml(name));
        RunResult r = new Runner(IMPLS).run(s, "rfc-2019", 1, Schedulers.random(1));
        assertEquals(Map.of(FindingKind.PIN_UNDERFLOW, 1, FindingKind.WARN, 1), r.counts(), r.findings().toString());
        Finding underflow = r.findings().get(0);
        assertEquals(FindingKind.PIN_UNDERFLOW, underflow.kind(), "more puts than gets comes first");
        assertTrue(underflow.message().contains("put_user_page"), underflow.message());
        Finding warn = r.findings().get(1);
        assertEquals("get_user_pages pin count overflowed", warn.message());
        assertTrue(warn.backtrace().contains("get_gup_pin_page"), warn.backtrace().toString());
        assertTrue(r.dmesg().stream().anyMatch(l -> l.contains("EOVERFLOW")), String.join("\n", r.dmesg()));
        assertTrue(s.processes().size() == 1 && s.devices().size() == 1, "a single GUP user");
        assertTrue(row(name, "merged").runsWithFinding().isEmpty());
        assertTrue(row(name, "foll-pin-2019").runsWithFinding().isEmpty());
    }

    @Test
    void tryGetCompoundHeadOfTheNov2019SeriesRefusesThe4097thRegistrationOfOneThp() {
        // WARN_ON_ONCE(page_ref_count(head) < 0) before the add: 4096 registrations of 2^19 wrap it
        String name = "thp-pin-exhaustion";
        Scenario s = new ScenarioLoader(IMPLS).load("catalog:" + name, Catalog.yaml(name));
        RunResult r = new Runner(IMPLS).run(s, "foll-pin-2019", 1, Schedulers.random(1));
        assertEquals(Map.of(FindingKind.WARN, 1), r.counts(), r.findings().toString());
        Finding warn = r.first();
        assertEquals("WARN_ON_ONCE(page_ref_count(head) < 0)", warn.message());
        assertTrue(warn.backtrace().contains("try_get_compound_head"), warn.backtrace().toString());
        assertEquals(4096L * 512, r.stats().pinsAcquired(),
                "4096 whole registrations are taken, the last wrapping the count; the 4097th is refused whole");
        assertEquals(r.stats().pinsAcquired(), r.stats().pinsReleased());
        assertTrue(row(name, "merged").runsWithFinding().isEmpty());
    }

    /**
     * __gup_longterm_locked (mm/gup.c, v6.12) on the RDMA NIC: the application has filled its
     * buffer, so its pages are in ZONE_MOVABLE when ib_umem_get pins them long-term. Under
     * tracked pins every registered page ends in ZONE_NORMAL, after migrations and retries of
     * the pin, on every seed; legacy GUP's plain references migrate nothing.
     */
    @Test
    void aLongTermRegistrationOfMovableMemoryEndsWithEveryRegisteredPageOutsideZoneMovable() {
        Scenario s = new ScenarioLoader(IMPLS).load("catalog:longterm-movable-rdma",
                Catalog.yaml("longterm-movable-rdma"));
        Scenario.MachineSpec ms = s.machine();
        MemoryLayout layout = new MemoryLayout(ms.normalPages(), ms.movablePages(), 10, 20, 30);
        assertTrue(ms.movablePages() > 0);
        for (int seed = 1; seed <= s.seeds(); seed++) {
            Machine tracked = Runner.setUp(s, "tracked", seed, IMPLS, Schedulers.random(seed));
            tracked.runUntil(s.durationNs());
            List<PinRecord> pins = tracked.outstandingPins();
            assertEquals(64, pins.stream().filter(PinRecord::longterm).mapToInt(p -> p.pfns().length).sum(),
                    "seed " + seed + ": the whole buffer is registered long-term: " + pins);
            for (PinRecord p : pins) {
                for (int pfn : p.pfns()) {
                    assertEquals(Zone.NORMAL, layout.zoneOf(pfn), "seed " + seed + ": " + p);
                }
            }
            Map<String, Long> vm = tracked.vmstat();
            assertTrue(vm.get("pgmigrate_success") > 0, "seed " + seed + ": the filled pages were migrated: " + vm);
            assertTrue(vm.get("gup_longterm_retries") > 0, "seed " + seed + ": and the pins retried: " + vm);
            assertEquals(0L, vm.get("pgmigrate_fail"), "seed " + seed);

            Machine legacy = Runner.setUp(s, "legacy", seed, IMPLS, Schedulers.random(seed));
            legacy.runUntil(s.durationNs());
            assertTrue(legacy.outstandingPins().stream().flatMapToInt(p -> Arrays.stream(p.pfns()))
                    .anyMatch(pfn -> layout.zoneOf(pfn) == Zone.MOVABLE),
                    "seed " + seed + ": legacy references stay in ZONE_MOVABLE");
            assertEquals(0L, legacy.vmstat().get("pgmigrate_success"), "seed " + seed);
        }
        assertTrue(row("longterm-movable-rdma", "tracked").runsWithFinding().isEmpty());
    }

    private static int runsOf(String scenario) {
        return ROWS.entrySet().stream().filter(e -> e.getKey().startsWith(scenario + "/")).findFirst()
                .orElseThrow().getValue().runs();
    }

    @Test
    void anUnknownCatalogNameIsRefusedWithTheNearestName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Catalog.yaml("gpu-memory-presure"));
        assertTrue(e.getMessage().contains("did you mean 'gpu-memory-pressure'?"), e.getMessage());
    }
}
