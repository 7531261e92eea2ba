package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.exam.PinlabExamSupport;

/**
 * A live run under a thousand swaps of every chosen family and a hundred stop/start cycles of
 * the RDMA driver and the ext4 bundle: no swap request lost or reordered, the last one of each
 * family in force, balanced pin counters, no exception in the log, and the threads back to
 * where they started.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT extends PinlabExamSupport {

    private static final Pattern SWAP = Pattern.compile("^  #(\\d+) ([a-z-]+): (\\S+) -> (\\S+)$", Pattern.MULTILINE);

    @Test
    public void aThousandSwapsAndAHundredBundleCyclesLoseNothingAndLeakNothing() throws Exception {
        Path log = karafLog();
        long logFrom = Files.size(log);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long pinlabThreadsBefore = pinlabThreads();
        Lab lab = lab();

        executeCommandOrFail("pinlab:live start seed-001-rdma-ext4");
        await().until(() -> executeCommand("pinlab:live status").contains("devices: mlx5_0"));
        Random r = new Random(1000);
        List<Family<?>> families = lab.families().stream().filter(Family::isChosen).toList();
        List<String> requested = new ArrayList<>();
        java.util.Map<String, String> last = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            Family<?> f = families.get(r.nextInt(families.size()));
            List<Implementation> names = lab.available(f);
            String name = names.get(r.nextInt(names.size())).name();
            String from = lab.configured(f);
            if (i % 50 == 0) {
                executeCommandOrFail("pinlab:use " + f.name() + " " + name); // the console's path, now and then
            } else {
                lab.use(f, name); // what pinlab:use calls, without a shell session per swap
            }
            requested.add(f.name() + ": " + from + " -> " + name);
            last.put(f.name(), name);
        }
        Bundle rdma = bundle("org.pinlab.driver-rdma");
        Bundle ext4 = bundle("org.pinlab.fs-ext4");
        for (int i = 0; i < 100; i++) {
            rdma.stop();
            ext4.stop();
            rdma.start();
            ext4.start();
        }
        await().until(() -> {
            String s = executeCommand("pinlab:live status");
            return s.contains("seed-001-rdma-ext4, running") && s.contains("devices: mlx5_0");
        });

        String status = executeCommandOrFail("pinlab:live status --swaps");
        Matcher m = SWAP.matcher(status);
        List<String> logged = new ArrayList<>();
        long previous = -1;
        while (m.find()) {
            long number = Long.parseLong(m.group(1));
            assertTrue("numbered in request order: " + number + " after " + previous, number == previous + 1
                    || previous < 0);
            previous = number;
            logged.add(m.group(2) + ": " + m.group(3) + " -> " + m.group(4));
        }
        assertEquals("every swap once, in request order", requested, logged);
        assertTrue(status, status.contains("swaps during the run: 1000:"));
        for (Family<?> f : families) {
            String want = last.getOrDefault(f.name(), f.defaultChoice());
            assertEquals(f.name(), want, lab.configured(f));
            assertEquals(f.name() + " in force", want, lab.effective(f));
        }

        String stop = executeCommandOrFail("pinlab:live stop");
        Matcher pins = Pattern.compile("pins acquired (\\d+), released (\\d+), held by machines a BUG stopped (\\d+), "
                + "counter checks failed (\\d+)").matcher(stop);
        assertTrue(stop, pins.find());
        assertEquals(stop, Long.parseLong(pins.group(1)), Long.parseLong(pins.group(2)) + Long.parseLong(pins.group(3)));
        assertEquals(stop, "0", pins.group(4));
        assertFalse(stop, stop.contains("PIN_LEAK"));

        await().until(() -> pinlabThreads() == pinlabThreadsBefore);
        await().until(() -> ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 2);
        String appended = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) logFrom);
        List<String> exceptions = appended.lines().filter(l -> l.contains("Exception") || l.startsWith("\tat "))
                .limit(20).toList();
        assertEquals("no exception in " + log, List.of(), exceptions);
    }

    private static long pinlabThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pinlab-")).count();
    }

    private static Path karafLog() {
        String dir = System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log");
        Path log = Path.of(dir, "karaf.log");
        assertTrue("the container logs to " + log, Files.isRegularFile(log));
        return log;
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
