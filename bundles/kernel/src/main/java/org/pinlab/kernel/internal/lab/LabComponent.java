package org.pinlab.kernel.internal.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.pinlab.api.device.Parameters;
import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.lab.SwapRequest;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.KernelDefaults;

/**
 * The one registry of the families: it tracks every registered implementation of every
 * family in {@link Families#ALL} (one service tracker over their interfaces, so an
 * implementation can come and go without restarting anything) and holds the active choice
 * of every chosen family from ConfigAdmin PID {@code org.pinlab.lab}. When the chosen one is
 * missing, the family's documented default is used (the kernel's own behaviour for the
 * policy families), and a log line says so. As a {@link Choices} service it is the live view
 * a long-running machine follows: every answer is what is active at that moment.
 */
@Component(service = {Lab.class, Choices.class}, configurationPid = Lab.PID, immediate = true)
public class LabComponent implements Lab, Choices {

    private static final System.Logger LOG = System.getLogger(LabComponent.class.getName());

    private final Map<Family<?>, Bindings<?>> bindings = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    /**
     * Numbers every {@link #use} request in the stored configuration. SCR applies
     * configuration events asynchronously, so an older dictionary can arrive after a newer
     * one was requested; one carrying a lower number is stale and ignored. A private
     * property (a leading dot): DS does not publish it as a service property.
     */
    static final String REQUEST = ".pinlab.request";

    private volatile Map<String, Object> configured = Map.of();
    /** The highest request number applied; guarded by {@code this}. */
    private long applied;
    /** Whether the first configuration (the stored one, at activation) was taken; guarded by {@code this}. */
    private boolean configuredOnce;
    /** The last {@value Lab#KEPT_SWAPS} changes of a choice, oldest first; guarded by {@code this}. */
    private final ArrayDeque<SwapRequest> swapLog = new ArrayDeque<>();
    private ServiceTracker<Pluggable, Pluggable> tracker;

    @Reference
    volatile ConfigurationAdmin configurationAdmin;

    public LabComponent() {
        for (Family<?> f : Families.ALL) {
            bindings.put(f, new Bindings<>(f));
        }
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws InvalidSyntaxException {
        configure(properties);
        StringBuilder filter = new StringBuilder("(|");
        for (Family<?> f : Families.ALL) {
            filter.append("(objectClass=").append(f.type().getName()).append(')');
        }
        tracker = new ServiceTracker<>(context, context.createFilter(filter.append(')').toString()), null) {
            @Override
            public Pluggable addingService(ServiceReference<Pluggable> ref) {
                Pluggable p = context.getService(ref);
                bind(familyOf(ref), p, ref.getBundle().getSymbolicName(), ref.getBundle().getVersion().toString());
                return p;
            }

            @Override
            public void removedService(ServiceReference<Pluggable> ref, Pluggable p) {
                unbind(familyOf(ref), p);
                context.ungetService(ref);
            }
        };
        tracker.open();
    }

    @Modified
    synchronized void configure(Map<String, Object> properties) {
        long request = request(properties);
        if (request < applied) {
            return; // an update older than a request already answered
        }
        if (configuredOnce && request == applied) {
            // the stored configuration edited outside use() (config:property-set keeps the number):
            // each choice it changes is a request of its own, after the ones answered
            for (Family<?> f : Families.chosen()) {
                String was = configured(f);
                Object now = properties.get(f.name());
                String is = now == null ? f.defaultChoice() : now.toString();
                if (!was.equals(is)) {
                    logSwap(new SwapRequest(++applied, f.name(), was, is, "configuration"));
                }
            }
        } else {
            applied = request;
        }
        configuredOnce = true;
        configured = Map.copyOf(properties);
    }

    private void logSwap(SwapRequest s) {
        swapLog.addLast(s);
        while (swapLog.size() > KEPT_SWAPS) {
            swapLog.removeFirst();
        }
    }

    @Override
    public synchronized List<SwapRequest> swaps(long afterRequest) {
        List<SwapRequest> out = new ArrayList<>();
        for (SwapRequest s : swapLog) {
            if (s.request() > afterRequest) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public synchronized long lastSwap() {
        return swapLog.isEmpty() ? applied : swapLog.getLast().request();
    }

    private static long request(Map<String, ?> properties) {
        Object v = properties.get(REQUEST);
        return v == null ? 0 : Long.parseLong(v.toString());
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    /** The family a service belongs to, by the interface it was registered under. */
    private static Family<?> familyOf(ServiceReference<?> ref) {
        for (String objectClass : (String[]) ref.getProperty("objectClass")) {
            var f = Families.byInterface(objectClass);
            if (f.isPresent()) {
                return f.get();
            }
        }
        throw new IllegalStateException("not a pinlab family: " + ref);
    }

    /** An implementation of {@code family} was registered by a bundle. */
    void bind(Family<?> family, Pluggable p, String bundle, String version) {
        bindings.get(family).add(p, bundle, version);
        changed();
    }

    /** An implementation of {@code family} was added without OSGi (plain Java, tests). */
    void bind(Family<?> family, Pluggable p) {
        bind(family, p, "classpath", "");
    }

    /** An implementation of {@code family} went away. */
    void unbind(Family<?> family, Pluggable p) {
        bindings.get(family).remove(p);
        if (family.isChosen() && p.name().equals(configured(family))) {
            LOG.log(System.Logger.Level.WARNING, "pinlab: " + family.name() + " '" + p.name()
                    + "' went away; using the default '" + family.defaultChoice() + "' until it returns");
        }
        changed();
    }

    private void changed() {
        version.incrementAndGet();
        for (Runnable l : listeners) {
            l.run();
        }
    }

    // ---- the Lab service -------------------------------------------------------------

    @Override
    public List<Family<?>> families() {
        return Families.ALL;
    }

    @Override
    public Family<?> family(String name) {
        return Families.byName(name).orElseThrow(() -> {
            List<String> names = Families.ALL.stream().map(Family::name).toList();
            return new IllegalArgumentException("unknown family '" + name + "'" + suggestion(name, names)
                    + "; families: " + String.join(", ", names));
        });
    }

    @Override
    public List<Implementation> available(Family<?> family) {
        Pluggable active = family.isChosen() ? active(family) : null;
        Bindings<?> b = bindings.get(family);
        return b.members().stream().map(p -> {
            String[] origin = b.origin(p);
            return new Implementation(family.name(), p.name(), p.description(), p == active, origin[0], origin[1]);
        }).toList();
    }

    @Override
    public String configured(Family<?> family) {
        chosenOnly(family);
        Object value = configured.get(family.name());
        return value == null ? family.defaultChoice() : value.toString();
    }

    @Override
    public String effective(Family<?> family) {
        Pluggable active = active(family);
        if (active != null) {
            return active.name();
        }
        Pluggable builtIn = KernelDefaults.builtInOrNull(family);
        return builtIn != null ? builtIn.name() + " (built-in)" : "none";
    }

    @Override
    public Implementations bound() {
        Implementations out = new Implementations();
        for (Bindings<?> b : bindings.values()) {
            addAll(out, b);
        }
        return out;
    }

    private static <T extends Pluggable> void addAll(Implementations out, Bindings<T> b) {
        for (T p : b.members()) {
            out.add(b.family(), p, b.origin(p)[1]);
        }
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    // ---- Choices: the live view: every call answers with what is active now, so a machine
    // asking at each decision follows swaps at its next safe point ------------------------

    @Override
    public <T extends Pluggable> T get(Family<T> family) {
        T chosen = active(family);
        return chosen != null ? chosen : KernelDefaults.builtIn(family);
    }

    /** The configured implementation, else the family's default, else null. */
    @SuppressWarnings("unchecked")
    <T extends Pluggable> T active(Family<T> family) {
        Bindings<T> b = (Bindings<T>) bindings.get(family);
        T chosen = b.find(configured(family));
        return chosen != null ? chosen : b.find(family.defaultChoice());
    }

    @Override
    public synchronized void use(Family<?> family, String name) {
        chosenOnly(family);
        String before = configured(family);
        Bindings<?> b = bindings.get(family);
        if (b.find(name) == null) {
            throw new IllegalArgumentException("no " + family.name() + " named '" + name + "'"
                    + suggestion(name, b.names()) + "; available: " + String.join(", ", b.names()));
        }
        try {
            Configuration config = configurationAdmin.getConfiguration(PID, null);
            Dictionary<String, Object> props = config.getProperties();
            if (props == null) {
                props = new Hashtable<>();
            }
            props.put(family.name(), name);
            props.put(REQUEST, Long.toString(applied + 1));
            config.update(props);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store " + family.name() + " = " + name + " in " + PID, e);
        }
        // ConfigAdmin calls configure() asynchronously; answer the caller's next question now.
        Map<String, Object> next = new LinkedHashMap<>(configured);
        next.put(family.name(), name);
        next.put(REQUEST, Long.toString(++applied));
        configured = Map.copyOf(next);
        logSwap(new SwapRequest(applied, family.name(), before, name, "use"));
    }

    /** " (did you mean 'x'?)" for the nearest valid name, or "". */
    private static String suggestion(String given, List<String> valid) {
        String near = Parameters.nearest(given, valid);
        return near != null ? " (did you mean '" + near + "'?)" : "";
    }

    private static void chosenOnly(Family<?> family) {
        if (!family.isChosen()) {
            throw new IllegalArgumentException("the " + family.name() + " family has no active choice: a scenario"
                    + " names its " + family.name() + " types where it uses them");
        }
    }
}
