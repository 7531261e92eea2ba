package org.pinlab.kernel.internal.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.pinlab.api.families.Families;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.lab.SwapRequest;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.KernelDefaults;

class LabComponentTest {

    private final Hashtable<String, Object> stored = new Hashtable<>();
    /** Every dictionary ConfigAdmin was given, in update order: what it will deliver, in some order. */
    private final List<Map<String, Object>> updates = new ArrayList<>();
    private LabComponent lab;

    static WritebackPolicy writeback(String name, WritebackPolicy.Action action) {
        return new WritebackPolicy() {
            @Override
            public Action onPinnedDirtyPage(PageRef page, boolean sync) {
                return action;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name + " test policy";
            }
        };
    }

    @BeforeEach
    void setUp() {
        lab = new LabComponent();
        lab.configurationAdmin = configAdmin();
        lab.configure(Map.of());
    }

    /** ConfigAdmin with one configuration whose update() stores into {@link #stored}. */
    private ConfigurationAdmin configAdmin() {
        Configuration config = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> stored.isEmpty() ? null : new Hashtable<>(stored);
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        stored.clear();
                        for (String k : java.util.Collections.list(d.keys())) {
                            stored.put(k, d.get(k));
                        }
                        updates.add(Map.copyOf(stored));
                        yield null;
                    }
                    default -> null;
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> config);
    }

    @Test
    void aFamilyIsFoundByItsDescriptorsNameAndAMisspeltOneGetsTheNearest() {
        assertSame(Families.RELEASE, lab.family("release"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lab.family("relase"));
        assertTrue(e.getMessage().contains("unknown family 'relase' (did you mean 'release'?)"), e.getMessage());
        assertTrue(e.getMessage().contains("families: release, writeback"), e.getMessage());
    }

    @Test
    void useStoresTheChoiceAndTheLiveViewFollowsIt() {
        WritebackPolicy write = writeback("write", WritebackPolicy.Action.WRITE);
        WritebackPolicy skip = writeback("skip", WritebackPolicy.Action.SKIP);
        lab.bind(Families.WRITEBACK, write);
        lab.bind(Families.WRITEBACK, skip);
        Choices live = lab; // the component is the live view
        assertSame(write, live.writeback(), "the default until something else is chosen");
        lab.use(Families.WRITEBACK, "skip");
        assertEquals("skip", stored.get("writeback"));
        assertSame(skip, live.writeback(), "the same view answers with the new choice");
        List<Implementation> listed = lab.available(Families.WRITEBACK);
        assertTrue(listed.stream().filter(Implementation::active).allMatch(i -> i.name().equals("skip")));
    }

    @Test
    void aBurstOfSwapsEndsOnTheLastRequestWhateverOrderConfigAdminDeliversItsUpdatesIn() {
        List<String> names = List.of("write", "skip", "wait", "snapshot");
        for (String n : names) {
            lab.bind(Families.WRITEBACK, writeback(n, WritebackPolicy.Action.WRITE));
        }
        String last = null;
        for (int i = 0; i < 200; i++) {
            last = names.get((i * 7 + i / 3) % names.size());
            lab.use(Families.WRITEBACK, last);
        }
        List<Map<String, Object>> delivered = new ArrayList<>(updates);
        Collections.shuffle(delivered, new Random(15)); // SCR applies configuration events asynchronously
        for (Map<String, Object> d : delivered) {
            lab.configure(d);
            assertEquals(last, lab.configured(Families.WRITEBACK), "an older update must never win");
        }
        assertEquals(last, stored.get("writeback"));
        assertEquals(last, lab.writeback().name());
    }

    /** An implementation of any family that only has a name (the lab never calls more). */
    static <T extends Pluggable> T named(Family<T> family, String name) {
        return family.cast((Pluggable) Proxy.newProxyInstance(LabComponentTest.class.getClassLoader(),
                new Class<?>[] {family.type()}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "description" -> name + " test " + family.name();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> family.name() + " " + name;
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }

    @Test
    void aThousandSwapsAcrossEveryFamilyAreLoggedOnceInRequestOrderAndTheLastOfEachWins() {
        List<Family<?>> families = Families.chosen();
        for (Family<?> f : families) {
            for (String n : List.of("a", "b", "c")) {
                bindNamed(f, n);
            }
        }
        long before = lab.lastSwap();
        Map<String, String> last = new HashMap<>();
        List<String> requested = new ArrayList<>();
        Random r = new Random(19);
        for (int i = 0; i < 1000; i++) {
            Family<?> f = families.get(r.nextInt(families.size()));
            String n = List.of("a", "b", "c").get(r.nextInt(3));
            String from = lab.configured(f);
            lab.use(f, n);
            last.put(f.name(), n);
            requested.add(f.name() + ": " + from + " -> " + n);
        }
        List<Map<String, Object>> delivered = new ArrayList<>(updates);
        Collections.shuffle(delivered, new Random(20)); // SCR applies configuration events asynchronously
        for (Map<String, Object> d : delivered) {
            lab.configure(d);
        }
        List<SwapRequest> log = lab.swaps(before);
        assertEquals(1000, log.size());
        List<String> logged = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            assertEquals(before + i + 1, log.get(i).request(), "numbered in request order");
            assertEquals("use", log.get(i).via());
            logged.add(log.get(i).family() + ": " + log.get(i).from() + " -> " + log.get(i).to());
        }
        assertEquals(requested, logged);
        for (Family<?> f : families) {
            String want = last.getOrDefault(f.name(), f.defaultChoice());
            assertEquals(want, lab.configured(f), f.name());
            if (f.swap() == Family.Swap.NEXT_DECISION) {
                assertEquals(want, lab.get(f).name(), "the live view of " + f.name());
            }
        }
        assertEquals(List.of(), lab.swaps(lab.lastSwap()));
    }

    @Test
    void anEditOfThePidOutsideUseIsLoggedAsASwapOfItsOwn() {
        bindNamed(Families.WRITEBACK, "write");
        bindNamed(Families.WRITEBACK, "skip");
        lab.use(Families.WRITEBACK, "skip");
        long after = lab.lastSwap();
        Map<String, Object> edited = new HashMap<>(stored);
        edited.put("writeback", "write");
        lab.configure(edited);
        List<SwapRequest> log = lab.swaps(after);
        assertEquals(1, log.size(), log.toString());
        assertEquals("#" + (after + 1) + " writeback: skip -> write (configuration)", log.get(0).describe());
        lab.configure(edited); // delivered again: nothing changes, nothing logged
        assertEquals(1, lab.swaps(after).size());
    }

    private <T extends Pluggable> void bindNamed(Family<T> f, String name) {
        lab.bind(f, named(f, name));
    }

    @Test
    void anEditOfTheStoredConfigurationAfterTheLastSwapIsHonoured() {
        lab.bind(Families.WRITEBACK, writeback("write", WritebackPolicy.Action.WRITE));
        lab.bind(Families.WRITEBACK, writeback("skip", WritebackPolicy.Action.SKIP));
        lab.use(Families.WRITEBACK, "skip");
        Map<String, Object> edited = new HashMap<>(stored); // config:property-set keeps the other keys
        edited.put("writeback", "write");
        lab.configure(edited);
        assertEquals("write", lab.configured(Families.WRITEBACK));
    }

    @Test
    void aBadNameChangesNothingAndSaysWhatIsValid() {
        lab.bind(Families.WRITEBACK, writeback("write", WritebackPolicy.Action.WRITE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lab.use(Families.WRITEBACK, "wirte"));
        assertTrue(e.getMessage().contains("no writeback named 'wirte' (did you mean 'write'?); available: write"),
                e.getMessage());
        assertTrue(stored.isEmpty());
    }

    @Test
    void aNamedFamilyHasNoChoiceToUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lab.use(Families.FILESYSTEM, "ext4"));
        assertTrue(e.getMessage().contains("the filesystem family has no active choice"), e.getMessage());
        assertTrue(stored.isEmpty());
    }

    @Test
    void boundIsASnapshotByFamilyAndEveryChangeIsHeard() {
        AtomicInteger heard = new AtomicInteger();
        lab.addListener(heard::incrementAndGet);
        long before = lab.version();
        WritebackPolicy skip = writeback("skip", WritebackPolicy.Action.SKIP);
        lab.bind(Families.WRITEBACK, skip);
        Implementations snapshot = lab.bound();
        lab.unbind(Families.WRITEBACK, skip);
        assertSame(skip, snapshot.get(Families.WRITEBACK, "skip"), "a snapshot keeps what was bound when taken");
        assertEquals(List.of(), lab.bound().names(Families.WRITEBACK));
        assertEquals(List.of(), snapshot.names(Families.RELEASE), "nothing leaks into another family");
        assertEquals(before + 2, lab.version());
        assertEquals(2, heard.get());
    }

    @Test
    void whenTheChosenImplementationGoesAwayTheDocumentedDefaultTakesOver() {
        WritebackPolicy skip = writeback("skip", WritebackPolicy.Action.SKIP);
        lab.bind(Families.WRITEBACK, skip);
        lab.use(Families.WRITEBACK, "skip");
        Choices live = lab; // the component is the live view
        assertSame(skip, live.writeback());
        lab.unbind(Families.WRITEBACK, skip); // bundle:stop of the strategies bundle
        assertSame(KernelDefaults.WRITEBACK, live.writeback(), "the kernel's own behaviour, never a dead machine");
        assertEquals("(built-in)", lab.effective(Families.WRITEBACK).replace("write ", ""));
        assertEquals("skip", lab.configured(Families.WRITEBACK), "the choice is remembered for when it returns");
        lab.bind(Families.WRITEBACK, skip);
        assertSame(skip, live.writeback());
    }
}
