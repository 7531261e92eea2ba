package org.pinlab.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Conditional;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.pinlab.exam.PinlabExamSupport;

/**
 * Every pinlab bundle is active and every DS component in them is satisfied. The test
 * finds the bundles by symbolic name, so it covers each new bundle without an edit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SmokeIT extends PinlabExamSupport {

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    FeaturesService features;

    @Test
    public void everyPinlabFeatureIsInstalled() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().startsWith("pinlab") && !features.isInstalled(f)) {
                missing.add(f.getName() + "/" + f.getVersion());
            }
        }
        assertTrue("pinlab features not installed: " + missing, missing.isEmpty());
    }

    /**
     * Karaf drops a conditional bundle that cannot resolve without failing the feature, so
     * check what the features declare, not only what got installed.
     */
    @Test
    public void everyBundleThePinlabFeaturesDeclareIsInstalled() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Feature f : features.listInstalledFeatures()) {
            if (!f.getName().startsWith("pinlab")) {
                continue;
            }
            List<BundleInfo> declared = new ArrayList<>(f.getBundles());
            for (Conditional c : f.getConditional()) {
                if (conditionMet(c)) {
                    declared.addAll(c.getBundles());
                }
            }
            for (BundleInfo b : declared) {
                if (bundleContext.getBundle(b.getLocation()) == null) {
                    problems.add(b.getLocation() + " of feature " + f.getName() + " is not installed: "
                            + resolutionError(b.getLocation()));
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("pinlab bundles missing:\n  " + String.join("\n  ", problems));
        }
    }

    private boolean conditionMet(Conditional c) throws Exception {
        for (String condition : c.getCondition()) {
            Feature[] matching = features.getFeatures(condition);
            boolean installed = false;
            for (Feature m : matching) {
                installed |= features.isInstalled(m);
            }
            if (!installed) {
                return false;
            }
        }
        return true;
    }

    /** Installs the bundle by hand to get the resolver's own words, then removes it again. */
    private String resolutionError(String location) {
        Bundle b = null;
        try {
            b = bundleContext.installBundle(location);
            b.start(Bundle.START_TRANSIENT);
            return "it resolves and starts by hand; the feature resolver left it out";
        } catch (BundleException e) {
            return e.getMessage();
        } finally {
            if (b != null) {
                try {
                    b.uninstall();
                } catch (BundleException ignored) {
                    // best effort: the test fails anyway
                }
            }
        }
    }

    @Test
    public void everyPinlabBundleIsActive() {
        List<Bundle> pinlab = pinlabBundles();
        assertTrue("no org.pinlab.* bundle is installed at all", !pinlab.isEmpty());
        List<String> problems = new ArrayList<>();
        for (Bundle b : pinlab) {
            if (b.getState() != Bundle.ACTIVE) {
                problems.add(b.getSymbolicName() + " is " + state(b.getState()) + whyNotActive(b));
            }
        }
        if (!problems.isEmpty()) {
            fail("pinlab bundles not active:\n  " + String.join("\n  ", problems));
        }
    }

    @Test
    public void everyPinlabComponentIsSatisfied() {
        Bundle[] pinlab = pinlabBundles().toArray(new Bundle[0]);
        Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(pinlab);
        assertTrue("no DS component found in the pinlab bundles", !descriptions.isEmpty());
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : descriptions) {
            String where = d.bundle.symbolicName + " component " + d.name;
            if (!scr.isComponentEnabled(d)) {
                problems.add(where + " is disabled");
                continue;
            }
            Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                problems.add(where + " has no configuration (configuration policy " + d.configurationPolicy + ")");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        problems.add(where + " has unsatisfied reference '" + r.name + "'"
                                + (r.target == null ? "" : " (target " + r.target + ")"));
                    }
                } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(where + " failed to activate: " + c.failure);
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    problems.add(where + " waits for a configuration");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail("pinlab components not satisfied:\n  " + String.join("\n  ", problems));
        }
    }

    private List<Bundle> pinlabBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.pinlab."))
                .toList();
    }

    /** For a bundle that did not start: the resolver's or the activator's reason. */
    private static String whyNotActive(Bundle b) {
        if (b.getState() == Bundle.INSTALLED || b.getState() == Bundle.RESOLVED) {
            try {
                b.start(Bundle.START_TRANSIENT);
                return " (it starts when asked: something stopped it)";
            } catch (BundleException e) {
                return ": " + e.getMessage();
            }
        }
        return "";
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "in state " + state;
        };
    }
}
