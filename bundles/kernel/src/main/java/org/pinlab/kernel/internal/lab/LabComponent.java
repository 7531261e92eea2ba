package org.pinlab.kernel.internal.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.PageAllocator;

/**
 * Holds the active choice per family from ConfigAdmin PID {@code org.pinlab.lab} and
 * tracks every registered implementation with dynamic, greedy references, so an
 * implementation can come and go without restarting anything.
 */
@Component(service = Lab.class, configurationPid = Lab.PID, immediate = true)
@Designate(ocd = LabComponent.Config.class)
public class LabComponent implements Lab {

    @ObjectClassDefinition(name = "pinlab lab",
            description = "The active implementation of every pluggable family of pinlab.")
    public @interface Config {
        @AttributeDefinition(name = "Page allocator",
                description = "Name of the page allocator new machines use (pinlab:strategies allocator lists them).")
        String allocator() default "buddy";
    }

    final Family<PageAllocator> allocators = new Family<>(PageAllocator.FAMILY, "buddy");
    private final Map<String, Family<?>> families = new LinkedHashMap<>();
    private volatile Map<String, Object> configured = Map.of();

    @Reference
    volatile ConfigurationAdmin configurationAdmin;

    public LabComponent() {
        families.put(allocators.name(), allocators);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        configured = Map.copyOf(properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAllocator(PageAllocator allocator) {
        allocators.add(allocator);
    }

    void removeAllocator(PageAllocator allocator) {
        allocators.remove(allocator);
    }

    @Override
    public List<String> families() {
        return List.copyOf(families.keySet());
    }

    @Override
    public List<Implementation> available(String family) {
        Family<?> f = family(family);
        String active = configured(family);
        return f.members().stream()
                .map(p -> new Implementation(family, p.name(), p.description(), p.name().equals(active)))
                .toList();
    }

    @Override
    public String configured(String family) {
        Family<?> f = family(family);
        Object value = configured.get(family);
        return value == null ? f.fallback() : value.toString();
    }

    /** The implementation a new machine gets: the configured one, else the family's default. */
    public PageAllocator activeAllocator() {
        return active(allocators);
    }

    private <T extends Pluggable> T active(Family<T> f) {
        T chosen = f.find(configured(f.name()));
        return chosen != null ? chosen : f.find(f.fallback());
    }

    @Override
    public void use(String family, String name) {
        Family<?> f = family(family);
        if (f.find(name) == null) {
            throw new IllegalArgumentException("no " + family + " named '" + name + "'; available: "
                    + String.join(", ", f.names()));
        }
        try {
            Configuration config = configurationAdmin.getConfiguration(PID, null);
            Dictionary<String, Object> props = config.getProperties();
            if (props == null) {
                props = new Hashtable<>();
            }
            props.put(family, name);
            config.update(props);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store " + family + " = " + name + " in " + PID, e);
        }
        // ConfigAdmin calls configure() asynchronously; answer the caller's next question now.
        Map<String, Object> next = new LinkedHashMap<>(configured);
        next.put(family, name);
        configured = Map.copyOf(next);
    }

    private Family<?> family(String family) {
        Family<?> f = families.get(family);
        if (f == null) {
            throw new IllegalArgumentException("unknown family '" + family + "'; families: "
                    + String.join(", ", families.keySet()));
        }
        return f;
    }
}
