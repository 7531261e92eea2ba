package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.exam.PinlabExamSupport;

/**
 * Every family swaps through the shell, through ConfigAdmin directly, and survives the
 * bundle that provides its implementations stopping and starting again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LabSwapIT extends PinlabExamSupport {

    @Inject
    Lab lab;

    @Inject
    ConfigurationAdmin configAdmin;

    @Test
    public void everyFamilyHasItsImplementationsRegistered() {
        await().until(() -> lab.available(Families.TRUNCATE).size() == 5);
        assertEquals(3, lab.available(Families.RELEASE).size());
        assertEquals(4, lab.available(Families.WRITEBACK).size());
        assertEquals(4, lab.available(Families.RECLAIM).size());
        assertEquals(2, lab.available(Families.ADMISSION).size());
        assertEquals(3, lab.available(Families.PIN_LAYOUT).size());
        for (Family<?> family : lab.families()) {
            assertFalse(family + " has implementations", lab.available(family).isEmpty());
        }
    }

    @Test
    public void everyImplementationOfEveryFamilyCanBeMadeActiveFromTheShell() throws Exception {
        await().until(() -> lab.available(Families.TRUNCATE).size() == 5);
        for (Family<?> family : Families.chosen()) {
            for (Implementation i : lab.available(family)) {
                String out = executeCommand("pinlab:use " + family + " " + i.name());
                assertTrue(out, out.contains("-> " + i.name()));
                assertEquals(i.name(), lab.effective(family));
                assertEquals(i.name(), configAdmin.getConfiguration(family.pid(), null).getProperties().get(family.name()));
            }
        }
        executeCommand("pinlab:use writeback write");
    }

    @Test
    public void aConfigAdminUpdateIsTheSameAsUse() throws Exception {
        await().until(() -> lab.available(Families.WRITEBACK).size() == 4);
        Configuration config = configAdmin.getConfiguration(Lab.PID, null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        props.put(Families.RECLAIM.name(), "keep-private");
        config.update(props);
        await().until(() -> "keep-private".equals(lab.effective(Families.RECLAIM)));
        String out = executeCommand("pinlab:strategies reclaim");
        assertTrue(out, out.matches("(?s).*keep-private\\s*\\|\\s*\\*.*"));
        executeCommand("pinlab:use reclaim legacy");
    }

    @Test
    public void stoppingTheStrategiesBundleFallsBackToTheKernelAndStartingItRestoresTheChoice() throws Exception {
        await().until(() -> lab.available(Families.WRITEBACK).size() == 4);
        executeCommand("pinlab:use writeback snapshot");
        Bundle strategies = bundle("org.pinlab.strategies");
        strategies.stop();
        try {
            // the families the strategies bundle provides: the ones a running machine decides with
            for (Family<?> family : Families.swappedAt(Family.Swap.NEXT_DECISION)) {
                assertTrue(family.name(), lab.available(family).isEmpty());
                assertTrue(family + ": " + lab.effective(family), lab.effective(family).endsWith("(built-in)"));
            }
            assertEquals("snapshot", lab.configured(Families.WRITEBACK));
            String out = executeCommand("pinlab:strategies writeback");
            assertTrue(out, out.contains("(none registered)") && out.contains("in force: write (built-in)"));
        } finally {
            strategies.start();
        }
        await().until(() -> "snapshot".equals(lab.effective(Families.WRITEBACK)));
        executeCommand("pinlab:use writeback write");
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
