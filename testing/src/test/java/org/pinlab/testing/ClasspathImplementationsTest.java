package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;

class ClasspathImplementationsTest {

    /** The scenarios module's hand-written list of every shipped implementation. */
    private static final Path TEST_IMPLEMENTATIONS =
            Path.of("../bundles/scenarios/src/test/java/org/pinlab/scenarios/TestImplementations.java");
    private static final String ADMISSION = "org.pinlab.api.policy.AdmissionPolicy";

    @TempDir
    Path dir;

    @Test
    void discoveryFindsEveryImplementationTestImplementationsListsUnderTheSameFamilyAndName() throws Exception {
        Map<String, Map<String, String>> expected = listedInTestImplementations();
        assertEquals(30, expected.values().stream().mapToInt(Map::size).sum(), "TestImplementations' list: " + expected);
        assertEquals(expected, byFamily(ClasspathImplementations.discover()));
    }

    @Test
    void thePinLayoutsAreTheThreeShippedOnesForRfc21BitWasRenamedFollPin2019() {
        Implementations impls = ClasspathImplementations.discover();
        assertEquals(List.of("foll-pin-2019", "merged", "rfc-2019"), impls.names(Families.PIN_LAYOUT));
        assertEquals("org.pinlab.gup.internal.FollPin2019PinTracker",
                impls.get(Families.PIN_LAYOUT, "foll-pin-2019").getClass().getName());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.pinlab.gup.internal.Rfc21BitPinTracker"));
    }

    @Test
    void aComponentThatProvidesNoPinlabServiceIsSkippedEvenWithReferences() {
        // the kernel's lab component (references ConfigurationAdmin) is on this class path
        assertNotNull(getClass().getClassLoader().getResource("OSGI-INF/org.pinlab.kernel.internal.lab.LabComponent.xml"));
        Path osgiInf = dir.resolve("OSGI-INF");
        write(osgiInf.resolve("runner.xml"), component("runner", "java.lang.Thread", "java.lang.Runnable", null,
                "<reference name=\"lab\" interface=\"org.pinlab.api.lab.Lab\"/>"));
        Implementations impls = ClasspathImplementations.discover(loader(dir));
        assertEquals(List.of("allow", "no-longterm-file-write"), impls.names(Families.ADMISSION));
    }

    @Test
    void anAuthorsComponentInADirectoryWithoutAManifestIsDiscoveredBesideTheShippedOnes() {
        write(dir.resolve("OSGI-INF/org.pinlab.testing.RefuseEveryPin.xml"), refuseEveryPin("refuse-every-pin"));
        Implementations impls = ClasspathImplementations.discover(loader(dir));
        assertEquals(List.of("allow", "no-longterm-file-write", "refuse-every-pin"), impls.names(Families.ADMISSION));
        assertTrue(impls.get(Families.ADMISSION, "refuse-every-pin") instanceof RefuseEveryPin);
        assertTrue(impls.has(Families.RELEASE, "tracked"));
    }

    @Test
    void aStaleDescriptionInADirectoryWithoutAManifestIsAnErrorNamingTheMissingClass() {
        write(dir.resolve("OSGI-INF/org.pinlab.gup.internal.Rfc21BitPinTracker.xml"), component(
                "org.pinlab.gup.internal.Rfc21BitPinTracker", "org.pinlab.gup.internal.Rfc21BitPinTracker",
                "org.pinlab.api.gup.PinTracker", "rfc-21bit", ""));
        String message = discoveryError(dir);
        assertTrue(message.contains("cannot offer 1 pinlab component(s)"), message);
        assertTrue(message.contains("component org.pinlab.gup.internal.Rfc21BitPinTracker ("), message);
        assertTrue(message.contains("its class org.pinlab.gup.internal.Rfc21BitPinTracker is not on the class path"),
                message);
    }

    @Test
    void theServiceComponentHeaderGovernsAJarSoAStaleDescriptionBesideItIsNotAComponent() throws IOException {
        Path jar = dir.resolve("author.jar");
        Manifest mf = manifest("OSGI-INF/org.pinlab.testing.RefuseEveryPin.xml");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            entry(out, "OSGI-INF/org.pinlab.testing.RefuseEveryPin.xml", refuseEveryPin("refuse-every-pin"));
            entry(out, "OSGI-INF/org.pinlab.gup.internal.Rfc21BitPinTracker.xml", component("stale",
                    "org.pinlab.gup.internal.Rfc21BitPinTracker", "org.pinlab.api.gup.PinTracker", "rfc-21bit", ""));
        }
        Implementations impls = ClasspathImplementations.discover(loader(jar));
        assertTrue(impls.has(Families.ADMISSION, "refuse-every-pin"));
        assertFalse(impls.has(Families.PIN_LAYOUT, "rfc-21bit"));
    }

    @Test
    void theServiceComponentHeaderGovernsADirectoryThatHasOneAsBndWritesIt() throws IOException {
        write(dir.resolve("OSGI-INF/a.xml"), refuseEveryPin("refuse-every-pin"));
        write(dir.resolve("OSGI-INF/stale.xml"), component("stale", "org.pinlab.gup.internal.Rfc21BitPinTracker",
                "org.pinlab.api.gup.PinTracker", "rfc-21bit", ""));
        Files.createDirectories(dir.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("META-INF/MANIFEST.MF"))) {
            manifest("OSGI-INF/a.xml").write(out);
        }
        Implementations impls = ClasspathImplementations.discover(loader(dir));
        assertTrue(impls.has(Families.ADMISSION, "refuse-every-pin"));
        assertFalse(impls.has(Families.PIN_LAYOUT, "rfc-21bit"));
    }

    @Test
    void aDescriptionTheHeaderListsButTheBundleLacksIsAnError() throws IOException {
        Files.createDirectories(dir.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(dir.resolve("META-INF/MANIFEST.MF"))) {
            manifest("OSGI-INF/missing.xml").write(out);
        }
        String message = discoveryError(dir);
        assertTrue(message.contains("OSGI-INF/missing.xml: cannot read the component description"), message);
    }

    @Test
    void aPinlabComponentWithReferencesIsAnErrorNamingThem() {
        write(dir.resolve("OSGI-INF/refs.xml"), component("refs", RefuseEveryPin.class.getName(), ADMISSION,
                "refuse-every-pin", "<reference name=\"lab\" interface=\"org.pinlab.api.lab.Lab\"/>"));
        String message = discoveryError(dir);
        assertTrue(message.contains("component refs ("), message);
        assertTrue(message.contains("it has references (lab) that SCR would bind"), message);
    }

    @Test
    void aPinlabComponentWithoutAPublicNoArgumentConstructorIsAnError() {
        write(dir.resolve("OSGI-INF/ctor.xml"), component("ctor", NoDefaultConstructor.class.getName(), ADMISSION,
                "refuse-every-pin", ""));
        String message = discoveryError(dir);
        assertTrue(message.contains(NoDefaultConstructor.class.getName() + " has no public no-argument constructor"),
                message);
    }

    @Test
    void aPinlabComponentWithAnActivateMethodIsAnError() {
        write(dir.resolve("OSGI-INF/act.xml"), component("act", NeedsActivation.class.getName(), ADMISSION,
                "refuse-every-pin", ""));
        String message = discoveryError(dir);
        assertTrue(message.contains("SCR would call its activate method activate()"), message);
    }

    @Test
    void aPinlabComponentThatRequiresAConfigurationIsAnError() {
        write(dir.resolve("OSGI-INF/cfg.xml"), component("cfg", RefuseEveryPin.class.getName(), ADMISSION,
                "refuse-every-pin", "").replace("name=\"cfg\"", "name=\"cfg\" configuration-policy=\"require\""));
        assertTrue(discoveryError(dir).contains("it requires a configuration"));
    }

    @Test
    void aNamePropertyThatDisagreesWithNameIsAnError() {
        write(dir.resolve("OSGI-INF/n.xml"), refuseEveryPin("refuse-all"));
        String message = discoveryError(dir);
        assertTrue(message.contains("its 'name' property is 'refuse-all' but " + RefuseEveryPin.class.getName()
                + ".name() is 'refuse-every-pin'"), message);
    }

    @Test
    void aMissingNamePropertyIsAnError() {
        write(dir.resolve("OSGI-INF/n.xml"), component("n", RefuseEveryPin.class.getName(), ADMISSION, null, ""));
        String message = discoveryError(dir);
        assertTrue(message.contains("it has no single-valued 'name' service property"), message);
        assertTrue(message.contains("@Component(property = \"name=refuse-every-pin\")"), message);
    }

    @Test
    void aSecondImplementationOfTheSameNameIsAnError() {
        write(dir.resolve("OSGI-INF/dup.xml"), component("dup", RefuseEveryPin.class.getName(), ADMISSION, "allow", "")
                .replace(RefuseEveryPin.class.getName(), NamedAllow.class.getName()));
        String message = discoveryError(dir);
        assertTrue(message.contains("another admission is already named 'allow': "
                + "org.pinlab.strategies.internal.admission.AdmitAllPins"), message);
    }

    @Test
    void aMalformedDescriptionIsAnError() {
        write(dir.resolve("OSGI-INF/broken.xml"), "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\">");
        String message = discoveryError(dir);
        assertTrue(message.contains("broken.xml: cannot read the component description: not well-formed XML"),
                message);
    }

    @Test
    void disabledComponentsAreNotOfferedAsKarafWouldNotOfferThem() {
        write(dir.resolve("OSGI-INF/off.xml"), refuseEveryPin("refuse-every-pin")
                .replace("name=\"org.pinlab.testing.RefuseEveryPin\"",
                        "name=\"org.pinlab.testing.RefuseEveryPin\" enabled=\"false\""));
        assertFalse(ClasspathImplementations.discover(loader(dir)).has(Families.ADMISSION, "refuse-every-pin"));
    }

    /** Another class answering to a shipped name, as a second copy of a bundle would. */
    public static class NamedAllow extends RefuseEveryPin {
        @Override
        public String name() {
            return "allow";
        }
    }

    // --- helpers

    /** Family name -> implementation name -> class, as TestImplementations.all() adds them. */
    private static Map<String, Map<String, String>> listedInTestImplementations() throws Exception {
        String source = Files.readString(TEST_IMPLEMENTATIONS);
        Map<String, String> imports = new HashMap<>();
        Matcher im = Pattern.compile("import (org\\.pinlab\\.[\\w.]+\\.(\\w+));").matcher(source);
        while (im.find()) {
            imports.put(im.group(2), im.group(1));
        }
        Map<String, Map<String, String>> out = new TreeMap<>();
        Matcher add = Pattern.compile("\\.add\\(Families\\.(\\w+), new (\\w+)\\(\\)\\)").matcher(source);
        while (add.find()) {
            Family<?> family = (Family<?>) Families.class.getField(add.group(1)).get(null);
            String cls = imports.get(add.group(2));
            Pluggable p = (Pluggable) Class.forName(cls).getConstructor().newInstance();
            out.computeIfAbsent(family.name(), f -> new TreeMap<>()).put(p.name(), cls);
        }
        return out;
    }

    private static Map<String, Map<String, String>> byFamily(Implementations impls) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Family<?> f : Families.ALL) {
            for (String name : impls.names(f)) {
                out.computeIfAbsent(f.name(), k -> new TreeMap<>()).put(name, impls.get(f, name).getClass().getName());
            }
        }
        return out;
    }

    private String discoveryError(Path root) {
        return assertThrows(IllegalStateException.class, () -> ClasspathImplementations.discover(loader(root)))
                .getMessage();
    }

    private ClassLoader loader(Path root) {
        try {
            return new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String refuseEveryPin(String nameProperty) {
        return component(RefuseEveryPin.class.getName(), RefuseEveryPin.class.getName(), ADMISSION, nameProperty, "");
    }

    /** A component description as bnd writes one. */
    private static String component(String name, String cls, String provides, String nameProperty, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">\n"
                + (nameProperty == null ? "" : "  <property name=\"name\" type=\"String\" value=\"" + nameProperty
                        + "\"/>\n")
                + "  <service>\n    <provide interface=\"" + provides + "\"/>\n  </service>\n" + extra
                + "  <implementation class=\"" + cls + "\"/>\n</scr:component>\n";
    }

    private static Manifest manifest(String serviceComponent) {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Service-Component", serviceComponent);
        return mf;
    }

    private static void entry(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
