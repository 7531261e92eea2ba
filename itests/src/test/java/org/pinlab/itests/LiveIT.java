package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.pinlab.exam.PinlabExamSupport;

/**
 * The live workload under swaps and bundle churn: ext4 + RDMA under memory pressure. Under
 * legacy the seed 001 BUG accrues; the fix (tracked + keep-private + snapshot) stops it while
 * the NIC keeps its DMA rate; swapping back brings it back; counters stay balanced through
 * 100 swaps; a driver, a strategy or a filesystem bundle stopping mid-run leaves nothing behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveIT extends PinlabExamSupport {

    @After
    public void stopLiveAndRestoreLegacy() throws Exception {
        try {
            executeCommand("pinlab:live stop");
        } catch (Exception e) {
            // none was started
        }
        legacy();
    }

    private void legacy() throws Exception {
        executeCommand("pinlab:use release legacy");
        executeCommand("pinlab:use reclaim legacy");
        executeCommand("pinlab:use writeback write");
    }

    private void fix() throws Exception {
        executeCommand("pinlab:use release tracked");
        executeCommand("pinlab:use reclaim keep-private");
        executeCommand("pinlab:use writeback snapshot");
    }

    private String status() throws Exception {
        return executeCommand("pinlab:live status");
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no '" + regex + "' in:\n" + text);
        }
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private long boot() throws Exception {
        return number(status(), "boot (\\d+) \\(seed");
    }

    private long findings() throws Exception {
        return number(status(), "findings: (\\d+)");
    }

    private long bugs() throws Exception {
        String s = status();
        Matcher m = Pattern.compile("BUG (\\d+)").matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private double dma() throws Exception {
        String top = executeCommand("pinlab:top -n 1");
        Matcher m = Pattern.compile("DMA: +([0-9.]+) MiB/s").matcher(top);
        assertTrue(top, m.find());
        return Double.parseDouble(m.group(1));
    }

    private void awaitBoot(long atLeast) {
        await().until(() -> boot() >= atLeast);
    }

    @Test
    public void findingsAccrueUnderLegacyStopUnderTheFixAndResumeWhenSwappedBack() throws Exception {
        legacy();
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        await().until(() -> bugs() > 0);
        awaitBoot(boot() + 10);
        double legacyDma = dma();

        fix();
        // pins taken under legacy may still be live in the boot that saw the swap: start counting after it
        awaitBoot(boot() + 2);
        long before = findings();
        long from = boot();
        awaitBoot(from + 30);
        assertEquals("no finding in 30 boots under the fix:\n" + status(), before, findings());
        double fixedDma = dma();
        assertTrue("the NIC keeps its DMA rate under the fix: " + fixedDma + " vs " + legacyDma,
                fixedDma > 0.7 * legacyDma);
        String strategies = executeCommand("pinlab:top -n 1");
        assertTrue(strategies, strategies.contains("release tracked") && strategies.contains("writeback snapshot"));

        legacy();
        long bugsBefore = bugs();
        await().until(() -> bugs() > bugsBefore);

        String stop = executeCommand("pinlab:live stop");
        assertTrue(stop, stop.contains("counter checks failed 0"));
        assertFalse(stop, stop.contains("PIN_LEAK"));
    }

    /** The figures in a pinlab:status -i row: calls, pages held, errors. */
    private static long[] statusRow(String status, String implementation) {
        Matcher m = Pattern.compile(Pattern.quote(implementation) + " +([0-9,]+) +([0-9,]+) +([0-9,]+)")
                .matcher(status.replace("|", " "));
        if (!m.find()) {
            throw new AssertionError("no row for " + implementation + " in:\n" + status);
        }
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Long.parseLong(m.group(i + 1).replace(",", ""));
        }
        return out;
    }

    @Test
    public void statusCountsTheLiveRunsCallsPerBundleAndThePagesTheNicHoldsUntilItStops() throws Exception {
        legacy();
        String before = executeCommand("pinlab:status");
        assertTrue(before, before.contains("live: none started") || before.contains("as it ended"));
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        awaitBoot(2);
        await().until(() -> statusRow(executeCommand("pinlab:status -i"), "device rdma")[1] > 0);
        String running = executeCommand("pinlab:status -i");
        for (String impl : new String[] {"filesystem ext4", "device rdma", "release legacy", "allocator buddy",
                "pin-layout merged"}) {
            assertTrue(impl + " was called:\n" + running, statusRow(running, impl)[0] > 0);
        }
        assertEquals("a strategy not chosen is never called:\n" + running, 0,
                statusRow(running, "release bounce")[0]);
        String byBundle = executeCommand("pinlab:status");
        assertTrue(byBundle, byBundle.contains("org.pinlab.driver-rdma") && byBundle.contains("org.pinlab.strategies"));

        executeCommand("pinlab:live stop");
        String stopped = executeCommand("pinlab:status -i");
        assertTrue(stopped, stopped.contains("as it ended"));
        assertEquals("a stopped run holds nothing:\n" + stopped, 0, statusRow(stopped, "device rdma")[1]);
        assertTrue(stopped, statusRow(stopped, "device rdma")[0] >= statusRow(running, "device rdma")[0]);
    }

    @Test
    public void countersStayBalancedThroughAHundredSwapsUnderLoad() throws Exception {
        legacy();
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        awaitBoot(2);
        for (int i = 0; i < 100; i++) {
            executeCommand(i % 2 == 0 ? "pinlab:use release tracked" : "pinlab:use release legacy");
            if (i % 10 == 0) {
                executeCommand(i % 20 == 0 ? "pinlab:use writeback snapshot" : "pinlab:use writeback write");
            }
        }
        long after = boot();
        awaitBoot(after + 2);
        String stop = executeCommand("pinlab:live stop");
        Matcher m = Pattern.compile("pins acquired (\\d+), released (\\d+), held by machines a BUG stopped (\\d+), "
                + "counter checks failed (\\d+)").matcher(stop);
        assertTrue(stop, m.find());
        long acquired = Long.parseLong(m.group(1));
        assertTrue("FOLL_PIN pins were taken: " + stop, acquired > 0);
        // a BUG stops a machine with its pins held; every other pin came back
        assertEquals(stop, acquired, Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)));
        assertEquals(stop, "0", m.group(4));
        assertFalse(stop, stop.contains("PIN_LEAK"));
        assertFalse(stop, stop.contains("REFCOUNT_UNDERFLOW") || stop.contains("PIN_UNDERFLOW"));
    }

    @Test
    public void stoppingTheRdmaDriverReleasesItsPinsAndStartingItBringsTheNicBack() throws Exception {
        fix();
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        await().until(() -> number(status(), "outstanding grabs (\\d+)") > 0);
        Bundle rdma = bundle("org.pinlab.driver-rdma");
        rdma.stop();
        try {
            await().until(() -> status().contains("waiting for a driver: mlx5_0 (no rdma driver)")
                    && number(status(), "outstanding grabs (\\d+)") == 0);
            String s = status();
            assertTrue(s, s.contains("devices: none") && s.contains("counter checks failed 0"));
            assertFalse(s, s.contains("PIN_LEAK"));
            assertEquals(s, 0, findings());
            awaitBoot(boot() + 2); // the machine runs on without the NIC
        } finally {
            rdma.start();
        }
        await().until(() -> status().contains("devices: mlx5_0"));
        await().until(() -> number(status(), "outstanding grabs (\\d+)") > 0);
        String s = status();
        assertTrue(s, s.contains("counter checks failed 0"));
        assertEquals(s, 0, findings());
    }

    @Test
    public void stoppingTheStrategiesBundleFallsBackToTheKernelAndTheLiveRunGoesOn() throws Exception {
        fix();
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        awaitBoot(2);
        Bundle strategies = bundle("org.pinlab.strategies");
        strategies.stop();
        try {
            await().until(() -> status().contains("release legacy"));
            long from = boot();
            awaitBoot(from + 3);
            assertTrue(status(), status().contains("counter checks failed 0"));
        } finally {
            strategies.start();
        }
        await().until(() -> status().contains("release tracked"));
        String stop = executeCommand("pinlab:live stop");
        assertTrue(stop, stop.contains("counter checks failed 0"));
        assertFalse(stop, stop.contains("PIN_LEAK"));
    }

    @Test
    public void stoppingTheExt4BundleSyncsAndShutsTheMachineDownUntilItReturns() throws Exception {
        fix();
        executeCommand("pinlab:live start seed-001-rdma-ext4");
        awaitBoot(2);
        Bundle ext4 = bundle("org.pinlab.fs-ext4");
        ext4.stop();
        try {
            await().until(() -> status().contains("waiting (filesystem type ext4 is not registered"));
            String s = status();
            assertEquals(s, 0, findings()); // synced: no lost write, no leaked pin
            assertTrue(s, s.contains("counter checks failed 0"));
        } finally {
            ext4.start();
        }
        await().until(() -> status().contains("seed-001-rdma-ext4, running"));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
