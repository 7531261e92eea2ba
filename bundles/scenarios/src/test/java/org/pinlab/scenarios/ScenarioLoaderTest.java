package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Bad scenario files fail with file, line, column and what was expected. */
class ScenarioLoaderTest {

    private final ScenarioLoader loader = new ScenarioLoader(TestImplementations.all());

    private static final String GOOD = String.join("\n",
            "name: t",
            "cites: seed 001",
            "filesystems:",
            "  - {mount: /mnt, type: ext4, blocks: 256}",
            "files:",
            "  - {name: data, mount: /mnt, pages: 8}",
            "processes:",
            "  - name: app",
            "    mappings:",
            "      - {name: buf, file: data}",
            "devices:",
            "  - name: mlx5_0",
            "    type: rdma",
            "    buffers:",
            "      - {name: mr0, mapping: app.buf}",
            "    params: {lifetime: 1ms}",
            "duration: 5ms",
            "combinations:",
            "  legacy: {release: legacy}",
            "expect:",
            "  legacy: {findings: [], allow: [BUG]}",
            "");

    private ScenarioException fails(String yaml) {
        return assertThrows(ScenarioException.class, () -> loader.load("t.yaml", yaml));
    }

    @Test
    void aGoodFileLoadsWithDefaultsFilledIn() {
        Scenario s = loader.load("t.yaml", GOOD);
        assertEquals("t", s.name());
        assertEquals(5_000_000, s.durationNs());
        assertEquals("write", s.combinations().get("legacy").get("writeback"));
        assertEquals(4096, s.machine().normalPages());
        assertEquals(8, s.devices().get(0).buffers().get(0).pages());
    }

    /** Every error of a file at once, each at its place, not only the first. */
    @Test
    void everyErrorInAFileIsReportedWithItsLineAndColumn() {
        String broken = GOOD.replace("duration: 5ms", "duraton: 5ms").replace("blocks: 256", "blocks: -1")
                .replace("legacy: {release: legacy}", "legacy: {release: legcy}");
        ScenarioException e = fails(broken);
        List<String> problems = e.errors().stream().map(x -> x.line() + ":" + x.column() + " " + x.problem()).toList();
        assertEquals(3, problems.size(), e.getMessage());
        assertTrue(problems.stream().anyMatch(p -> p.contains("unknown key 'duraton'") && p.contains("'duration'")),
                problems.toString());
        assertTrue(problems.get(1).startsWith("4:") && problems.get(1).contains("blocks"), problems.toString());
        assertTrue(problems.get(2).startsWith("19:") && problems.get(2).contains("'legcy' (did you mean 'legacy'?)"),
                problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("needs 'duration'")),
                "the misspelt key explains the missing one: " + problems);
        String[] lines = e.getMessage().split("\n");
        assertEquals(4, lines.length, e.getMessage());
        for (int i = 0; i < 3; i++) {
            assertTrue(lines[i].matches("t\\.yaml:\\d+:\\d+: .*"), lines[i]);
        }
        assertEquals("3 errors in t.yaml", lines[3]);
    }

    @Test
    void anUnknownKeyNamesTheNearestValidOneAtItsLocation() {
        ScenarioException e = fails(GOOD.replace("duration: 5ms", "duraton: 5ms"));
        assertEquals(17, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith("t.yaml:17:1: unknown key 'duraton'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'duration'?"), e.getMessage());
    }

    @Test
    void aWriterMixThatNeverLetsTimePassOrAddsUpToOverAHundredIsRefusedAtItsLine() {
        String withWriter = GOOD.replace("devices:", "programs:\n  - {writer: app.buf, store: 70, load: 30, fsync: 0}\ndevices:");
        ScenarioException e = fails(withWriter);
        assertEquals(12, e.line());
        assertTrue(e.problem().contains("store + load is 100%"), e.problem());
        assertTrue(e.problem().contains("fsync, truncate, write or think"), e.problem());

        e = fails(withWriter.replace(", fsync: 0", "")); // fsync defaults to 5%
        assertTrue(e.problem().contains("store + load + fsync + truncate + write is 105%; at most 100"), e.problem());

        e = fails(withWriter.replace("load: 30, fsync: 0", "load: 20, fsync: 0, write: 11"));
        assertTrue(e.problem().contains("store + load + fsync + truncate + write is 101%; at most 100"), e.problem());

        Scenario s = loader.load("t.yaml", withWriter.replace("load: 30", "load: 29"));
        assertEquals(70, s.programs().get(0).storePct());
    }

    @Test
    void aWriterMayWriteThroughThePageCacheAndAFilesystemMaySitOnAStableWritesDisk() {
        Scenario s = loader.load("t.yaml", GOOD.replace("blocks: 256}", "blocks: 256, stable-writes: true}")
                .replace("devices:", "programs:\n  - {writer: app.buf, store: 40, load: 20, write: 30}\ndevices:"));
        assertTrue(s.filesystems().get(0).stableWrites());
        assertEquals(30, s.programs().get(0).writePct());
        assertEquals(40, s.programs().get(0).storePct());
        Scenario plain = loader.load("t.yaml", GOOD);
        assertFalse(plain.filesystems().get(0).stableWrites(), "a disk has no stable writes unless asked");

        ScenarioException e = fails(GOOD.replace("blocks: 256}", "blocks: 256, stable-writes: maybe}"));
        assertEquals(4, e.line());
        assertTrue(e.problem().contains("stable-writes"), e.problem());
    }

    @Test
    void withCombinationAddsOneAfterTheOthersOrReplacesItsNamesakeAndKeepsTheRest() {
        Scenario s = loader.load("t.yaml", GOOD);
        Scenario lab = s.withCombination("lab", Map.of("release", "tracked"));
        assertEquals(List.of("legacy", "lab"), List.copyOf(lab.combinations().keySet()));
        assertEquals("tracked", lab.combinations().get("lab").get("release"));
        assertEquals(s.combinations().get("legacy"), lab.combinations().get("legacy"));
        assertEquals(s.expectations(), lab.expectations());
        assertEquals(s.devices(), lab.devices());
        assertEquals(List.of("legacy"), List.copyOf(s.combinations().keySet()), "the original is untouched");

        Scenario replaced = lab.withCombination("legacy", Map.of("release", "bounce"));
        assertEquals(List.of("lab", "legacy"), List.copyOf(replaced.combinations().keySet()));
        assertEquals(Map.of("release", "bounce"), replaced.combinations().get("legacy"));
    }

    @Test
    void anUnknownStrategyNameListsTheAvailableOnes() {
        ScenarioException e = fails(GOOD.replace("{release: legacy}", "{release: trackd}"));
        assertEquals(19, e.line());
        assertTrue(e.problem().contains("no release named 'trackd' (did you mean 'tracked'?)"), e.problem());
        assertTrue(e.problem().contains("bounce, legacy, tracked"), e.problem());
    }

    @Test
    void anUnknownDeviceTypeOrFilesystemTypeIsNamed() {
        assertTrue(fails(GOOD.replace("type: rdma", "type: rmda")).problem()
                .contains("unknown device type 'rmda' (did you mean 'rdma'?)"));
        assertTrue(fails(GOOD.replace("type: ext4", "type: ext5")).problem()
                .contains("unknown filesystem type 'ext5' (did you mean 'ext4'?)"));
    }

    @Test
    void wrongTypesAndImpossibleSizesSayWhatWasExpected() {
        ScenarioException e = fails(GOOD.replace("duration: 5ms", "duration: 5"));
        assertTrue(e.problem().contains("expected a duration like 250us, 5ms or 2s"), e.problem());
        e = fails(GOOD.replace("pages: 8}", "pages: lots}"));
        assertEquals(6, e.line());
        assertTrue(e.problem().contains("expected a number of pages or a size like 16MiB"), e.problem());
        e = fails(GOOD.replace("blocks: 256", "blocks: 0"));
        assertTrue(e.problem().contains("'blocks' is 0; expected an integer from 1"), e.problem());
        e = fails(GOOD.replace("processes:", "machine: {memory: 1KiB}\nprocesses:"));
        assertTrue(e.problem().contains("not a whole number of 4 KiB pages"), e.problem());
    }

    @Test
    void aBadDeviceParameterIsReportedAtTheDeviceBeforeAnythingRuns() {
        ScenarioException e = fails(GOOD.replace("{lifetime: 1ms}", "{lifetim: 1ms}"));
        assertEquals(12, e.line());
        assertTrue(e.problem().contains("unknown parameter 'lifetim' (did you mean 'lifetime'?)"), e.problem());
    }

    @Test
    void aBadMountOptionIsReportedAtTheFilesystem() {
        ScenarioException e = fails(GOOD.replace("blocks: 256}", "blocks: 256, options: {kernel: panic}}"));
        assertEquals(4, e.line());
        assertTrue(e.problem().contains("cannot mount ext4 at /mnt"), e.problem());
        assertTrue(e.problem().contains("panic"), e.problem());
    }

    @Test
    void referencesToMissingThingsAreCaught() {
        assertTrue(fails(GOOD.replace("mapping: app.buf", "mapping: app.bfu")).problem()
                .contains("process app has no mapping bfu (did you mean 'buf'?)"));
        assertTrue(fails(GOOD.replace("file: data}", "file: date}")).problem()
                .contains("no file named date (did you mean 'data'?)"));
        assertTrue(fails(GOOD.replace("legacy: {findings", "legcy: {findings")).problem()
                .contains("expectation for unknown combination 'legcy'"));
        assertTrue(fails(GOOD.replace("allow: [BUG]", "allow: [BUGS]")).problem()
                .contains("unknown finding kind 'BUGS' (did you mean 'BUG'?)"));
    }

    @Test
    void brokenYamlAndDuplicateKeysAreRefused() {
        ScenarioException e = fails("name: [unclosed\n");
        assertTrue(e.problem().startsWith("not valid YAML"), e.problem());
        e = fails(GOOD + "name: again\n");
        assertTrue(e.problem().contains("key 'name' appears twice"), e.problem());
        assertTrue(fails("").problem().contains("the file is empty"));
    }

    private static final String PAGEMAP = String.join("\n",
            "name: p",
            "cites: seed 003",
            "processes:",
            "  - name: a",
            "  - name: b",
            "programs:",
            "  - {pagemap: a, target: b, pages: 4MiB}",
            "  - {mapper: b}",
            "duration: 1ms",
            "combinations:",
            "  old: {pagemap-read: old}",
            "  fixed: {}",
            "");

    @Test
    void pagemapReadersAndMappersLoadAndACombinationPicksTheReader() {
        Scenario s = loader.load("p.yaml", PAGEMAP);
        Scenario.ProgramSpec reader = s.programs().get(0);
        assertEquals("pagemap", reader.kind());
        assertEquals("b", reader.target());
        assertEquals(1024, reader.pages(), "4 MiB of address space: 1024 entries");
        assertEquals(200_000, reader.thinkNs());
        assertEquals(1, s.programs().get(1).pages());
        assertEquals("old", s.combinations().get("old").get(Scenario.PAGEMAP_READ));
        assertEquals(null, s.combinations().get("fixed").get(Scenario.PAGEMAP_READ), "the kernel's own: fixed");
    }

    @Test
    void aBadPagemapReaderOrProgramIsReportedWhereItIsWritten() {
        ScenarioException e = fails(PAGEMAP.replace("{pagemap-read: old}", "{pagemap-read: olde}"), "p.yaml");
        assertEquals(11, e.line());
        assertTrue(e.problem().contains("'pagemap-read' is 'olde' (did you mean 'old'?); expected one of old, fixed"),
                e.problem());
        e = fails(PAGEMAP.replace("  - {pagemap: a, target: b, pages: 4MiB}\n", ""), "p.yaml");
        assertEquals(10, e.line());
        assertTrue(e.problem().contains("'pagemap-read' picks the pagemap_read of 'pagemap' programs, and this"
                + " scenario has none"), e.problem());
        e = fails(PAGEMAP.replace("target: b,", "target: c,"), "p.yaml");
        assertEquals(7, e.line());
        assertTrue(e.problem().contains("no process named c"), e.problem());
        e = fails(PAGEMAP.replace("target: b, ", ""), "p.yaml");
        assertTrue(e.problem().contains("a program needs 'target'"), e.problem());
        e = fails(PAGEMAP.replace("{mapper: b}", "{mapper: b, hog: b}"), "p.yaml");
        assertEquals(8, e.line());
        assertTrue(e.problem().startsWith("a program has one kind, this one has hog and mapper; a program is one of"),
                e.problem());
        e = fails(PAGEMAP.replace("{mapper: b}", "{mapper: b, hold: 1ms}"), "p.yaml");
        assertTrue(e.problem().contains("unknown key 'hold' in a program"), e.problem());
        e = fails(PAGEMAP.replace("{pagemap-read: old}", "{pagemap-reed: old}"), "p.yaml");
        assertTrue(e.problem().contains("unknown family 'pagemap-reed' (did you mean 'pagemap-read'?)"), e.problem());
    }

    @Test
    void aCountedBufferIsHandedToTheDeviceThatManyTimesUnderNumberedNames() {
        Scenario s = loader.load("t.yaml", GOOD.replace("{name: mr0, mapping: app.buf}",
                "{name: mr, mapping: app.buf, count: 3}"));
        Scenario.BufferSpec b = s.devices().get(0).buffers().get(0);
        assertEquals(3, b.count());
        assertEquals(java.util.List.of("mr-0", "mr-1", "mr-2"), b.names());
        ScenarioException e = fails(GOOD.replace("{name: mr0, mapping: app.buf}",
                "{name: mr, mapping: app.buf, count: 2}\n      - {name: mr-1, mapping: app.buf}"));
        assertTrue(e.problem().contains("buffer mr-1 is defined twice"), e.problem());
        e = fails(GOOD.replace("{name: mr0, mapping: app.buf}", "{name: mr, mapping: app.buf, count: 0}"));
        assertTrue(e.problem().contains("'count' is 0; expected an integer from 1 to 65536"), e.problem());
    }

    @Test
    void anMadviseEventNamesAMappingAndARangeOfItAndOnlyTheModelledAdvice() {
        String good = GOOD.replace("duration: 5ms", "events:\n  - {at: 1ms, madvise: app.buf, advice: dontneed, from: 2, to: 4}\n"
                + "duration: 5ms");
        Scenario.EventSpec e = loader.load("t.yaml", good).events().get(0);
        assertEquals(new Scenario.EventSpec("madvise-dontneed", 1_000_000, "app.buf", 2, 4), e);
        assertEquals("madvise-hwpoison", loader.load("t.yaml", good.replace("dontneed", "hwpoison")).events().get(0)
                .kind());
        ScenarioException bad = fails(good.replace("advice: dontneed", "advice: free"));
        assertTrue(bad.problem().contains("advice 'free' is not modelled; the model has 'dontneed' (MADV_DONTNEED) and 'hwpoison'"), bad.problem());
        assertTrue(bad.getMessage().startsWith("t.yaml:18:41:"), bad.getMessage());
        bad = fails(good.replace("to: 4", "to: 9"));
        assertTrue(bad.problem().contains("'to' is 9; expected an integer from 3 to 8"), bad.problem());
        bad = fails(good.replace("madvise: app.buf", "madvise: app.bug"));
        assertTrue(bad.problem().contains("process app has no mapping bug (did you mean 'buf'?)"), bad.problem());
    }

    private ScenarioException fails(String yaml, String file) {
        return assertThrows(ScenarioException.class, () -> loader.load(file, yaml));
    }
}
