package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.pinlab.exam.PinlabExamSupport;

/** Every pinlab:* command: its happy path, and one wrong argument refused with one clear line. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends PinlabExamSupport {

    /** A seed whose random schedule reaches the seed 001 BUG under legacy, as the README tour shows. */
    static final long BUG_SEED = 1;

    @Test
    public void scenariosListsTheCatalogWithTheSeedEachCites() throws Exception {
        String out = executeCommand("pinlab:scenarios");
        assertTrue(out, out.contains("seed-001-rdma-ext4") && out.contains("seed 001"));
        assertTrue(out, out.contains("legacy, fixed") && out.contains("catalog"));
    }

    @Test
    public void scenariosLoadsAFileAndRefusesABrokenOneWithItsLine() throws Exception {
        Path dir = Files.createTempDirectory("pinlab-it");
        Path good = dir.resolve("mine.yaml");
        Files.writeString(good, catalogYaml("seed-001-rdma-ext4").replace("name: seed-001-rdma-ext4", "name: my-rdma"));
        String out = executeCommand("pinlab:scenarios --load " + good);
        assertTrue(out, out.contains("loaded my-rdma") && out.contains(good.toString()));
        String run = executeCommand("pinlab:run -c fixed -s 1 my-rdma");
        assertTrue(run, run.contains("my-rdma / fixed, seed 1") && run.contains("no findings"));

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, catalogYaml("seed-001-rdma-ext4").replace("duration: 30ms", "durration: 30ms"));
        String error = executeCommandExpectingError("pinlab:scenarios --load " + bad);
        assertTrue(error, error.contains("bad.yaml:") && error.contains("durration") && error.contains("duration"));
        assertFalse(executeCommand("pinlab:scenarios").contains("bad.yaml"));
    }

    private String catalogYaml(String name) throws Exception {
        return new String(org.pinlab.scenarios.Catalog.class.getResourceAsStream(
                "/org/pinlab/scenarios/catalog/" + name + ".yaml").readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    public void runShowsTheBugWithItsBacktraceAndHowToReplayIt() throws Exception {
        String out = executeCommand("pinlab:run -c legacy -s " + BUG_SEED + " seed-001-rdma-ext4");
        assertTrue(out, out.contains("BUG: kernel BUG at fs/ext4/inode.c"));
        assertTrue(out, out.contains("mpage_prepare_extent_to_map") && out.contains("Call Trace"));
        assertTrue(out, out.contains("run it again: pinlab:run -c legacy -s " + BUG_SEED + " seed-001-rdma-ext4"));
        String fixed = executeCommand("pinlab:run -c fixed -s " + BUG_SEED + " seed-001-rdma-ext4");
        assertTrue(fixed, fixed.contains("no findings"));
    }

    @Test
    public void runRefusesAMistypedScenarioWithTheNearestName() {
        String error = executeCommandExpectingError("pinlab:run seed-001-rdma-ext5");
        assertTrue(error, error.contains("no scenario named 'seed-001-rdma-ext5'")
                && error.contains("did you mean 'seed-001-rdma-ext4'"));
        error = executeCommandExpectingError("pinlab:run -c legacyy seed-001-rdma-ext4");
        assertTrue(error, error.contains("no combination 'legacyy'") && error.contains("legacy, fixed"));
    }

    @Test
    public void exploreFindsShrinksAndPrintsAReplayThatReproducesTheSameTrace() throws Exception {
        String out = executeCommand("pinlab:explore -c legacy -m random -n 100 --target BUG seed-001-rdma-ext4");
        assertTrue(out, out.contains("first failing schedule") && out.contains("BUG: kernel BUG"));
        Matcher replay = Pattern.compile("replay: (pinlab:replay .*)").matcher(out);
        Matcher hash = Pattern.compile("trace hash ([0-9a-f]{16})").matcher(out);
        assertTrue(out, replay.find() && hash.find());
        String again = executeCommand(replay.group(1));
        assertTrue(again, again.contains("BUG: kernel BUG at fs/ext4/inode.c"));
        assertTrue(again, again.contains("trace hash " + hash.group(1)));
    }

    @Test
    public void exploreRefusesAnUnknownModeAndKind() {
        String error = executeCommandExpectingError("pinlab:explore -m quantum seed-001-rdma-ext4");
        assertTrue(error, error.contains("unknown mode 'quantum'") && error.contains("random, pct, dfs"));
        error = executeCommandExpectingError("pinlab:explore --target BUGG seed-001-rdma-ext4");
        assertTrue(error, error.contains("unknown finding kind 'BUGG'") && error.contains("did you mean BUG?"));
    }

    @Test
    public void aLongExplorationAndComparisonStopCleanlyOnCtrlC() throws Exception {
        assertTrue(interrupted("pinlab:explore -m random -n 1000000 --all -c fixed seed-001-rdma-ext4")
                .matches("(?s).*\\d+ schedules in .* s .*, stopped by Ctrl-C.*"));
        String compare = interrupted("pinlab:compare -n 100000 seed-001-rdma-ext4");
        // the runs done so far come back, said to be partial
        assertTrue(compare, compare.contains("stopped by Ctrl-C: partial result")
                && compare.contains("combinations meet their scenario's expectations"));
    }

    /** Runs a command on its own thread and interrupts it (what Ctrl-C does) once it is under way. */
    private String interrupted(String command) throws Exception {
        AtomicReference<String> out = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        awaitCommand(command.split(" ")[0]);
        Thread t = new Thread(() -> {
            try {
                out.set(executeCommand(command));
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.start();
        Thread.sleep(1500);
        // Ctrl-C interrupts the thread the shell runs the command on (its job), not the caller
        int hit = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : e.getValue()) {
                if (frame.getClassName().startsWith("org.pinlab.shell.internal.command.")
                        && frame.getMethodName().equals("execute")) {
                    e.getKey().interrupt();
                    hit++;
                    break;
                }
            }
        }
        assertEquals("one command thread under way", 1, hit);
        t.join(60_000);
        assertFalse("the command ended after the interrupt", t.isAlive());
        if (failure.get() != null) {
            throw new AssertionError("'" + command + "' failed on Ctrl-C instead of stopping cleanly", failure.get());
        }
        return out.get();
    }

    @Test
    public void replayRefusesAMalformedSchedule() {
        String error = executeCommandExpectingError("pinlab:replay seed-001-rdma-ext4 legacy 1 'not a schedule'");
        assertTrue(error, error.startsWith("bad schedule"));
        error = executeCommandExpectingError("pinlab:replay seed-001-rdma-ext4 legacy 1 '@5:x'");
        assertTrue(error, error.contains("'@5:x' is not @decision:candidate"));
    }

    @Test
    public void compareWritesASelfContainedHtmlReport() throws Exception {
        Path html = Files.createTempDirectory("pinlab-it").resolve("report.html");
        String out = executeCommand("pinlab:compare -n 4 -t 2 --html " + html + " seed-001-rdma-ext4");
        assertTrue(out, out.contains("legacy") && out.contains("fixed") && out.contains("wrote " + html));
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<svg") && page.contains("seed-001-rdma-ext4"));
        assertFalse("no network resource", page.contains("src=\"http") || page.contains("href=\"http"));
        String json = executeCommand("pinlab:compare -n 2 --json seed-001-rdma-ext4");
        assertTrue(json, json.trim().startsWith("{") && json.contains("\"combination\""));
        String csv = executeCommand("pinlab:compare -n 2 --csv seed-001-rdma-ext4");
        assertTrue(csv, csv.startsWith("scenario,") && csv.contains("seed-001-rdma-ext4,legacy"));
    }

    @Test
    public void compareTakesAFormatByName() throws Exception {
        String md = executeCommand("pinlab:compare -n 2 --format markdown seed-001-rdma-ext4");
        assertTrue(md, md.contains("| scenario | combination |") && md.contains("| seed-001-rdma-ext4 | legacy |"));
        String error = executeCommandExpectingError("pinlab:compare -n 2 --format yaml seed-001-rdma-ext4");
        assertTrue(error, error.contains("--format: no format named 'yaml'; formats: table, markdown, json, csv"));
        error = executeCommandExpectingError("pinlab:compare -n 2 --format perfetto seed-001-rdma-ext4");
        assertTrue(error, error.contains("pinlab:trace"));
    }

    @Test
    public void compareRefusesZeroSeedsAndAMissingDirectory() {
        String error = executeCommandExpectingError("pinlab:compare -n 0");
        assertTrue(error, error.contains("-n must be between 1 and 1000000; was 0"));
        error = executeCommandExpectingError("pinlab:compare --html /no/such/dir/r.html seed-001-rdma-ext4");
        assertTrue(error, error.contains("--html: no such directory /no/such/dir"));
    }

    @Test
    public void findingsListsWhatTheLastRunsFoundAndRefusesABadCount() throws Exception {
        executeCommand("pinlab:run -c legacy -s " + BUG_SEED + " seed-001-rdma-ext4");
        String out = executeCommand("pinlab:findings -n 200");
        assertTrue(out, out.contains("BUG") && out.contains("pinlab:run -c legacy -s " + BUG_SEED + " seed-001-rdma-ext4"));
        String error = executeCommandExpectingError("pinlab:findings -n 0");
        assertTrue(error, error.contains("-n must be between 1 and 100000; was 0"));
    }

    @Test
    public void traceWritesChromeTraceJson() throws Exception {
        Path file = Files.createTempDirectory("pinlab-it").resolve("trace.json");
        String out = executeCommand("pinlab:trace -c legacy -s " + BUG_SEED + " -o " + file + " seed-001-rdma-ext4");
        assertTrue(out, out.contains("wrote " + file) && out.contains("BUG 1"));
        String json = Files.readString(file);
        assertTrue(json.startsWith("{") && json.contains("\"traceEvents\"") && json.contains("\"ph\":\"i\""));
        String error = executeCommandExpectingError("pinlab:trace -o /no/such/dir/t.json seed-001-rdma-ext4");
        assertTrue(error, error.contains("-o: no such directory"));
    }

    @Test
    public void gupTestPrintsTheSelftestsTimeLinesAndRefusesABadSize() throws Exception {
        String out = executeCommand("pinlab:gup-test -m 8 -n 512 -r 2 -a");
        Matcher time = Pattern.compile("# PIN_FAST_BENCHMARK: Time: get:\\d+ put:\\d+ us").matcher(out);
        int lines = 0;
        while (time.find()) {
            lines++;
        }
        assertEquals(out, 2, lines);
        assertTrue(out, out.contains("2048 pages") && out.contains("ok 1 ioctl status 0"));
        String thp = executeCommand("pinlab:gup-test -m 8 -n 512 -L -t");
        assertTrue(thp, thp.contains("PIN_LONGTERM_BENCHMARK: Time: get:") && thp.contains("4 folios"));
        String error = executeCommandExpectingError("pinlab:gup-test -n 0");
        assertTrue(error, error.contains("-n 0 grabs nothing"));
    }

    @Test
    public void liveTopAndPinsShowTheLiveMachineAndRefuseBadArguments() throws Exception {
        String error = executeCommandExpectingError("pinlab:live pause");
        assertTrue(error, error.contains("unknown action 'pause'") && error.contains("start, stop, status"));
        String out = executeCommand("pinlab:live start seed-001-rdma-ext4");
        try {
            assertTrue(out, out.contains("live: seed-001-rdma-ext4 started"));
            await().until(() -> executeCommand("pinlab:live status").matches("(?s).*boot [1-9].*"));
            String status = executeCommand("pinlab:live status");
            assertTrue(status, status.contains("frames 1024") && status.contains("strategies: release"));
            String top = executeCommand("pinlab:top -n 2 -d 50");
            assertEquals(top, 2, top.split("pinlab top - ", -1).length - 1);
            assertTrue(top, top.contains("Frames: 1024 total") && top.contains("Pins:") && top.contains("q to quit"));
            AtomicReference<String> pins = new AtomicReference<>("");
            await().until(() -> {
                pins.set(executeCommand("pinlab:pins"));
                return pins.get().contains("mlx5_0");
            });
            assertTrue(pins.get(), pins.get().contains("FOLL_") && pins.get().contains("outstanding grabs in boot"));
            error = executeCommandExpectingError("pinlab:live start");
            assertTrue(error, error.contains("a live workload is running"));
            error = executeCommandExpectingError("pinlab:top -d 1");
            assertTrue(error, error.contains("-d must be between 10 and 60000; was 1"));
            error = executeCommandExpectingError("pinlab:top -n 0");
            assertTrue(error, error.contains("-n must be between 1 and 1000000; was 0"));
            error = executeCommandExpectingError("pinlab:pins -n 0");
            assertTrue(error, error.contains("-n must be between 1 and 1000000; was 0"));
        } finally {
            String stop = executeCommand("pinlab:live stop");
            assertTrue(stop, stop.contains("counter checks failed 0"));
        }
    }

    @Test
    public void seedsAndCountsOutOfRangeAreRefusedWithTheRange() {
        String error = executeCommandExpectingError("pinlab:run -s -3 seed-001-rdma-ext4");
        assertTrue(error, error.contains("-s must be at least 1; was -3"));
        error = executeCommandExpectingError("pinlab:trace -s 0 -o trace.json seed-001-rdma-ext4");
        assertTrue(error, error.contains("-s must be at least 1; was 0"));
        error = executeCommandExpectingError("pinlab:live -s -1 start");
        assertTrue(error, error.contains("-s must be at least 1; was -1"));
        error = executeCommandExpectingError("pinlab:replay seed-001-rdma-ext4 legacy 0");
        assertTrue(error, error.contains("seed must be at least 1; was 0"));
        error = executeCommandExpectingError("pinlab:compare -n 0 seed-001-rdma-ext4");
        assertTrue(error, error.contains("-n must be between 1 and 1000000; was 0"));
        error = executeCommandExpectingError("pinlab:compare -t 0 seed-001-rdma-ext4");
        assertTrue(error, error.contains("-t must be between 1 and 1024; was 0"));
        error = executeCommandExpectingError("pinlab:findings -n -2");
        assertTrue(error, error.contains("-n must be between 1 and 100000; was -2"));
    }

    @Test
    public void countsTakeTheSingularForOne() throws Exception {
        String out = executeCommand("pinlab:compare -n 1 -t 1 seed-001-rdma-ext4");
        assertTrue(out, out.contains("comparing 1 scenario, 2 runs on 1 thread"));
    }
}
