package org.pinlab.kernel.internal.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.pinlab.api.fs.PageRef;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.KernelDefaults;

class LabComponentTest {

    private final Hashtable<String, Object> stored = new Hashtable<>();
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
                        yield null;
                    }
                    default -> null;
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> config);
    }

    @Test
    void everyFamilyIsListedInDisplayOrder() {
        assertEquals(List.of("allocator", "pin-layout", "release", "writeback", "reclaim", "truncate", "admission"),
                lab.families());
    }

    @Test
    void useStoresTheChoiceAndTheLiveViewFollowsIt() {
        WritebackPolicy write = writeback("write", WritebackPolicy.Action.WRITE);
        WritebackPolicy skip = writeback("skip", WritebackPolicy.Action.SKIP);
        lab.addWriteback(write);
        lab.addWriteback(skip);
        Choices live = lab; // the component is the live view
        assertSame(write, live.writeback(), "the default until something else is chosen");
        lab.use("writeback", "skip");
        assertEquals("skip", stored.get("writeback"));
        assertSame(skip, live.writeback(), "the same view answers with the new choice");
        List<Implementation> listed = lab.available("writeback");
        assertTrue(listed.stream().filter(Implementation::active).allMatch(i -> i.name().equals("skip")));
    }

    @Test
    void aBadNameChangesNothingAndSaysWhatIsValid() {
        lab.addWriteback(writeback("write", WritebackPolicy.Action.WRITE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lab.use("writeback", "nope"));
        assertTrue(e.getMessage().contains("no writeback named 'nope'") && e.getMessage().contains("write"));
        assertTrue(stored.isEmpty());
        IllegalArgumentException family = assertThrows(IllegalArgumentException.class, () -> lab.use("nope", "x"));
        assertTrue(family.getMessage().contains("families: allocator"), family.getMessage());
    }

    @Test
    void whenTheChosenImplementationGoesAwayTheDocumentedDefaultTakesOver() {
        WritebackPolicy skip = writeback("skip", WritebackPolicy.Action.SKIP);
        lab.addWriteback(skip);
        lab.use("writeback", "skip");
        Choices live = lab; // the component is the live view
        assertSame(skip, live.writeback());
        lab.removeWriteback(skip); // bundle:stop of the strategies bundle
        assertSame(KernelDefaults.WRITEBACK, live.writeback(), "the kernel's own behaviour, never a dead machine");
        assertEquals("skip", lab.configured("writeback"), "the choice is remembered for when it returns");
        lab.addWriteback(skip);
        assertSame(skip, live.writeback());
    }
}
