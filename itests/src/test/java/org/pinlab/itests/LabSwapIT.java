package org.pinlab.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;

/**
 * Every family swaps through the shell, through ConfigAdmin directly, and survives the
 * bundle that provides its implementations stopping and starting again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LabSwapIT extends PinlabTestSupport {

    private static final List<String> POLICY_FAMILIES = List.of("release", "writeback", "reclaim", "truncate", "admission");

    @Inject
    Lab lab;

    @Inject
    ConfigurationAdmin configAdmin;

    @Test
    public void everyFamilyHasItsImplementationsRegistered() {
        await().until(() -> lab.available("truncate").size() == 5);
        assertEquals(3, lab.available("release").size());
        assertEquals(4, lab.available("writeback").size());
        assertEquals(3, lab.available("reclaim").size());
        assertEquals(2, lab.available("admission").size());
        assertEquals(2, lab.available("pin-layout").size());
    }

    @Test
    public void everyImplementationOfEveryFamilyCanBeMadeActiveFromTheShell() throws Exception {
        await().until(() -> lab.available("truncate").size() == 5);
        for (String family : lab.families()) {
            for (Implementation i : lab.available(family)) {
                String out = executeCommand("pinlab:use " + family + " " + i.name());
                assertTrue(out, out.contains("-> " + i.name()));
                assertEquals(i.name(), lab.effective(family));
                assertEquals(i.name(), configAdmin.getConfiguration(Lab.PID, null).getProperties().get(family));
            }
        }
        executeCommand("pinlab:use writeback write");
    }

    @Test
    public void aConfigAdminUpdateIsTheSameAsUse() throws Exception {
        await().until(() -> lab.available("writeback").size() == 4);
        Configuration config = configAdmin.getConfiguration(Lab.PID, null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        props.put("reclaim", "keep-private");
        config.update(props);
        await().until(() -> "keep-private".equals(lab.effective("reclaim")));
        String out = executeCommand("pinlab:strategies reclaim");
        assertTrue(out, out.matches("(?s).*keep-private\\s*\\|\\s*\\*.*"));
        executeCommand("pinlab:use reclaim legacy");
    }

    @Test
    public void stoppingTheStrategiesBundleFallsBackToTheKernelAndStartingItRestoresTheChoice() throws Exception {
        await().until(() -> lab.available("writeback").size() == 4);
        executeCommand("pinlab:use writeback snapshot");
        Bundle strategies = bundle("org.pinlab.strategies");
        strategies.stop();
        try {
            for (String family : POLICY_FAMILIES) {
                assertTrue(family, lab.available(family).isEmpty());
                assertTrue(family + ": " + lab.effective(family), lab.effective(family).endsWith("(built-in)"));
            }
            assertEquals("snapshot", lab.configured("writeback"));
            String out = executeCommand("pinlab:strategies writeback");
            assertTrue(out, out.contains("(none registered)") && out.contains("in force: write (built-in)"));
        } finally {
            strategies.start();
        }
        await().until(() -> "snapshot".equals(lab.effective("writeback")));
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
