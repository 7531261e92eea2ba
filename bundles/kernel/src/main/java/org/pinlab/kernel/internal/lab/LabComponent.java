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
import org.pinlab.api.gup.PinTracker;
import org.pinlab.api.lab.Implementation;
import org.pinlab.api.lab.Lab;
import org.pinlab.api.lab.Pluggable;
import org.pinlab.api.mm.PageAllocator;
import org.pinlab.api.policy.AdmissionPolicy;
import org.pinlab.api.policy.ReclaimPolicy;
import org.pinlab.api.policy.ReleaseStrategy;
import org.pinlab.api.policy.TruncatePolicy;
import org.pinlab.api.policy.WritebackPolicy;
import org.pinlab.kernel.Choices;
import org.pinlab.kernel.KernelDefaults;

/**
 * Holds the active choice per family from ConfigAdmin PID {@code org.pinlab.lab} and
 * tracks every registered implementation with dynamic, greedy references, so an
 * implementation can come and go without restarting anything. When the chosen one is
 * missing, the family's documented default is used (the kernel's own behaviour for the
 * policy families), and a log line says so. As a {@link Choices} service it is the live
 * view a long-running machine follows: every answer is what is active at that moment.
 */
@Component(service = {Lab.class, Choices.class}, configurationPid = Lab.PID, immediate = true)
@Designate(ocd = LabComponent.Config.class)
public class LabComponent implements Lab, Choices {

    private static final System.Logger LOG = System.getLogger(LabComponent.class.getName());

    @ObjectClassDefinition(name = "pinlab lab",
            description = "The active implementation of every pluggable family of pinlab.")
    public @interface Config {
        @AttributeDefinition(name = "Page allocator", description = "The page allocator new machines use.")
        String allocator() default "buddy";

        @AttributeDefinition(name = "Pin layout",
                description = "How pins are counted (merged: Linux 5.7+; rfc-21bit: the 2019 RFC). Fixed per machine.")
        String pin$_$layout() default "merged";

        @AttributeDefinition(name = "Release strategy",
                description = "How drivers take and release user pages: legacy, tracked or bounce.")
        String release() default "legacy";

        @AttributeDefinition(name = "Writeback policy",
                description = "What writeback does with a pinned dirty page: write, skip, wait or snapshot.")
        String writeback() default "write";

        @AttributeDefinition(name = "Reclaim policy",
                description = "What reclaim does with a pinned page: legacy, keep-private or isolate-lru.")
        String reclaim() default "legacy";

        @AttributeDefinition(name = "Truncate policy",
                description = "What truncate does with a pinned page: proceed, fail, wait, revoke or defer-free.")
        String truncate() default "proceed";

        @AttributeDefinition(name = "Pin admission policy",
                description = "Which pins are admitted: allow, or no-longterm-file-write (Linux 6.5).")
        String admission() default "allow";
    }

    final Family<PageAllocator> allocators = new Family<>(PageAllocator.FAMILY, "buddy");
    final Family<PinTracker> pinLayouts = new Family<>(PinTracker.FAMILY, "merged");
    final Family<ReleaseStrategy> releases = new Family<>(ReleaseStrategy.FAMILY, "legacy");
    final Family<WritebackPolicy> writebacks = new Family<>(WritebackPolicy.FAMILY, "write");
    final Family<ReclaimPolicy> reclaims = new Family<>(ReclaimPolicy.FAMILY, "legacy");
    final Family<TruncatePolicy> truncates = new Family<>(TruncatePolicy.FAMILY, "proceed");
    final Family<AdmissionPolicy> admissions = new Family<>(AdmissionPolicy.FAMILY, "allow");
    private final Map<String, Family<?>> families = new LinkedHashMap<>();
    private volatile Map<String, Object> configured = Map.of();

    @Reference
    volatile ConfigurationAdmin configurationAdmin;

    public LabComponent() {
        for (Family<?> f : List.of(allocators, pinLayouts, releases, writebacks, reclaims, truncates, admissions)) {
            families.put(f.name(), f);
        }
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        configured = Map.copyOf(properties);
    }

    // ---- dynamic, greedy references: one pair per family ------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAllocator(PageAllocator p) {
        allocators.add(p);
    }

    void removeAllocator(PageAllocator p) {
        removed(allocators, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPinTracker(PinTracker p) {
        pinLayouts.add(p);
    }

    void removePinTracker(PinTracker p) {
        removed(pinLayouts, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRelease(ReleaseStrategy p) {
        releases.add(p);
    }

    void removeRelease(ReleaseStrategy p) {
        removed(releases, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addWriteback(WritebackPolicy p) {
        writebacks.add(p);
    }

    void removeWriteback(WritebackPolicy p) {
        removed(writebacks, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addReclaim(ReclaimPolicy p) {
        reclaims.add(p);
    }

    void removeReclaim(ReclaimPolicy p) {
        removed(reclaims, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTruncate(TruncatePolicy p) {
        truncates.add(p);
    }

    void removeTruncate(TruncatePolicy p) {
        removed(truncates, p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAdmission(AdmissionPolicy p) {
        admissions.add(p);
    }

    void removeAdmission(AdmissionPolicy p) {
        removed(admissions, p);
    }

    private <T extends Pluggable> void removed(Family<T> f, T p) {
        f.remove(p);
        if (p.name().equals(configured(f.name()))) {
            LOG.log(System.Logger.Level.WARNING, "pinlab: " + f.name() + " '" + p.name()
                    + "' went away; using the default '" + f.fallback() + "' until it returns");
        }
    }

    // ---- the Lab service -------------------------------------------------------------

    @Override
    public List<String> families() {
        return List.copyOf(families.keySet());
    }

    @Override
    public List<Implementation> available(String family) {
        Family<?> f = family(family);
        Pluggable active = active(f);
        return f.members().stream()
                .map(p -> new Implementation(family, p.name(), p.description(), p == active))
                .toList();
    }

    @Override
    public String configured(String family) {
        Family<?> f = family(family);
        Object value = configured.get(family);
        return value == null ? f.fallback() : value.toString();
    }

    @Override
    public String effective(String family) {
        Family<?> f = family(family);
        Pluggable active = active(f);
        if (active != null) {
            return active.name();
        }
        Pluggable builtIn = builtIn(family);
        return builtIn != null ? builtIn.name() + " (built-in)" : "none";
    }

    /** The kernel's own behaviour for a policy family, or null for the others. */
    private static Pluggable builtIn(String family) {
        return switch (family) {
            case ReleaseStrategy.FAMILY -> KernelDefaults.RELEASE;
            case WritebackPolicy.FAMILY -> KernelDefaults.WRITEBACK;
            case ReclaimPolicy.FAMILY -> KernelDefaults.RECLAIM;
            case TruncatePolicy.FAMILY -> KernelDefaults.TRUNCATE;
            case AdmissionPolicy.FAMILY -> KernelDefaults.ADMISSION;
            default -> null;
        };
    }

    // ---- Choices: the live view: every call answers with what is active now, so a machine
    // asking at each decision follows swaps at its next safe point ------------------------

    @Override
    public ReleaseStrategy release() {
        return orDefault(active(releases), KernelDefaults.RELEASE);
    }

    @Override
    public WritebackPolicy writeback() {
        return orDefault(active(writebacks), KernelDefaults.WRITEBACK);
    }

    @Override
    public ReclaimPolicy reclaim() {
        return orDefault(active(reclaims), KernelDefaults.RECLAIM);
    }

    @Override
    public TruncatePolicy truncate() {
        return orDefault(active(truncates), KernelDefaults.TRUNCATE);
    }

    @Override
    public AdmissionPolicy admission() {
        return orDefault(active(admissions), KernelDefaults.ADMISSION);
    }

    private static <T> T orDefault(T chosen, T builtIn) {
        return chosen != null ? chosen : builtIn;
    }

    /** The configured implementation, else the family's default, else null. */
    <T extends Pluggable> T active(Family<T> f) {
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
