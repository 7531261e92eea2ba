package org.pinlab.strategies.internal;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.strategies.internal.admission.AdmitAllPins;
import org.pinlab.strategies.internal.admission.RefuseLongtermFileWritePins;
import org.pinlab.strategies.internal.reclaim.IsolatePinnedPages;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActive;
import org.pinlab.strategies.internal.reclaim.KeepPinnedPagesActiveEarly;
import org.pinlab.strategies.internal.reclaim.ReclaimPinnedPages;
import org.pinlab.strategies.internal.release.BounceReleaseStrategy;
import org.pinlab.strategies.internal.release.LegacyReleaseStrategy;
import org.pinlab.strategies.internal.release.TrackedReleaseStrategy;
import org.pinlab.strategies.internal.truncate.DeferFree;
import org.pinlab.strategies.internal.truncate.FailTruncate;
import org.pinlab.strategies.internal.truncate.ProceedWithTruncate;
import org.pinlab.strategies.internal.truncate.RevokePins;
import org.pinlab.strategies.internal.truncate.WaitForIdle;
import org.pinlab.strategies.internal.writeback.SkipPinnedPages;
import org.pinlab.strategies.internal.writeback.SnapshotPinnedPages;
import org.pinlab.strategies.internal.writeback.WaitForUnpin;
import org.pinlab.strategies.internal.writeback.WritePinnedPages;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Every component of the bundle: the name users pick it by, what it tells them, how DS registers it. */
class StrategyComponentsTest {

    /** One component: its class, the family it is registered as, its name, what its description must cite. */
    record Row(Class<? extends Pluggable> type, Class<? extends Pluggable> family, String name, String... mentions) {

        Pluggable create() throws ReflectiveOperationException {
            // DS instantiates through the public no-argument constructor; so does this test
            return type.getConstructor().newInstance();
        }

        @Override
        public String toString() {
            return family.getSimpleName() + " " + name;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row(LegacyReleaseStrategy.class, ReleaseStrategy.class, "legacy",
                    "5.7", "get_user_pages", "put_page", "BUG"),
            new Row(TrackedReleaseStrategy.class, ReleaseStrategy.class, "tracked",
                    "5.7", "Hubbard", "FOLL_PIN", "overflow"),
            new Row(BounceReleaseStrategy.class, ReleaseStrategy.class, "bounce",
                    "Kara", "Glisse", "002", "004", "copy"),
            new Row(WritePinnedPages.class, WritebackPolicy.class, "write",
                    "Today's kernel", "lost writes"),
            new Row(SkipPinnedPages.class, WritebackPolicy.class, "skip",
                    "Danton", "004", "fsync"),
            new Row(WaitForUnpin.class, WritebackPolicy.class, "wait",
                    "hangs", "long-term"),
            new Row(SnapshotPinnedPages.class, WritebackPolicy.class, "snapshot",
                    "Kara", "Glisse", "002", "004", "copy"),
            new Row(ReclaimPinnedPages.class, ReclaimPolicy.class, "legacy",
                    "6.4", "buffer heads", "BUG"),
            new Row(KeepPinnedPagesActive.class, ReclaimPolicy.class, "keep-private",
                    "Kara", "6.4", "folio_maybe_dma_pinned"),
            new Row(KeepPinnedPagesActiveEarly.class, ReclaimPolicy.class, "keep-private-early",
                    "try_to_unmap", "d824ec2a1546", "never shipped"),
            new Row(IsolatePinnedPages.class, ReclaimPolicy.class, "isolate-lru",
                    "Wilcox", "002", "never be reclaimed"),
            new Row(ProceedWithTruncate.class, TruncatePolicy.class, "proceed",
                    "use after free"),
            new Row(FailTruncate.class, TruncatePolicy.class, "fail",
                    "Gunthorpe", "002", "-EBUSY"),
            new Row(WaitForIdle.class, TruncatePolicy.class, "wait",
                    "dax_layout_busy_page", "hangs"),
            new Row(RevokePins.class, TruncatePolicy.class, "revoke",
                    "Williams", "002", "lease", "cannot revoke"),
            new Row(DeferFree.class, TruncatePolicy.class, "defer-free",
                    "nybble41", "002", "invisible", "crash"),
            new Row(AdmitAllPins.class, AdmissionPolicy.class, "allow",
                    "6.5"),
            new Row(RefuseLongtermFileWritePins.class, AdmissionPolicy.class, "no-longterm-file-write",
                    "6.5", "-EFAULT", "check_vma_flags", "RDMA"));

    static Stream<Row> components() {
        return ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void isRegisteredAsItsFamily(Row row) {
        assertTrue(row.family().isAssignableFrom(row.type()), row.type() + " implements " + row.family());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void answersToItsName(Row row) throws ReflectiveOperationException {
        assertEquals(row.name(), row.create().name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void describesInOneParagraphWhatItStandsForAndItsRisk(Row row) throws ReflectiveOperationException {
        String description = row.create().description();
        assertNotNull(description);
        assertFalse(description.isBlank());
        assertFalse(description.contains("\n"), "one paragraph: " + description);
        assertTrue(description.contains("Risk"), "names its risk: " + description);
        for (String mention : row.mentions()) {
            assertTrue(description.contains(mention), "mentions " + mention + ": " + description);
        }
    }

    @Test
    void namesAreUniqueWithinEachFamily() {
        Map<Class<?>, List<String>> names = ROWS.stream()
                .collect(groupingBy(Row::family, mapping(Row::name, toList())));
        names.forEach((family, inFamily) ->
                assertEquals(inFamily.size(), new HashSet<>(inFamily).size(), family + ": " + inFamily));
        assertEquals(Set.of(ReleaseStrategy.class, WritebackPolicy.class, ReclaimPolicy.class,
                TruncatePolicy.class, AdmissionPolicy.class), names.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void bndGeneratedADescriptorProvidingTheFamilyUnderItsName(Row row) throws Exception {
        // bnd writes OSGI-INF/<class>.xml from @Component before the tests run
        String resource = "OSGI-INF/" + row.type().getName() + ".xml";
        Document descriptor;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            descriptor = factory.newDocumentBuilder().parse(in);
        }
        Element component = descriptor.getDocumentElement();
        assertEquals("component", component.getLocalName());
        assertEquals(row.type().getName(), component.getAttribute("name"));
        assertEquals(List.of(row.type().getName()), attributes(component, "implementation", "class"));
        assertEquals(List.of(row.family().getName()), attributes(component, "provide", "interface"),
                "provides exactly its family");

        List<String> nameValues = new ArrayList<>();
        NodeList properties = component.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (property.getAttribute("name").equals("name")) {
                assertEquals("String", property.getAttribute("type"));
                nameValues.add(property.getAttribute("value"));
            }
        }
        assertEquals(List.of(row.name()), nameValues);
    }

    @Test
    void everyDescriptorInTheBundleIsAComponentListedHere() throws URISyntaxException {
        File classes = new File(LegacyReleaseStrategy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String[] descriptors = new File(classes, "OSGI-INF").list((dir, file) -> file.endsWith(".xml"));
        assertNotNull(descriptors, "no OSGI-INF in " + classes);
        Set<String> expected = ROWS.stream().map(row -> row.type().getName() + ".xml").collect(toSet());
        assertEquals(expected, Set.copyOf(Arrays.asList(descriptors)));
    }

    private static List<String> attributes(Element root, String element, String attribute) {
        List<String> values = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName(element);
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(((Element) nodes.item(i)).getAttribute(attribute));
        }
        return values;
    }
}
