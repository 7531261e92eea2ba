package org.pinlab.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.pinlab.api.families.Families;
import org.pinlab.api.lab.Family;
import org.pinlab.api.lab.Implementations;
import org.pinlab.api.lab.Pluggable;

/**
 * The pinlab implementations on a plain class path, found the way Karaf finds their services:
 * from the Declarative Services component descriptions their bundles carry.
 *
 * <p>Where descriptions are read: for every {@code META-INF/MANIFEST.MF} on the class path, the
 * descriptions its {@code Service-Component} header lists (a jar, or a directory bnd wrote a
 * manifest into); for a directory without that header (an author's {@code target/classes} built
 * without a manifest), every {@code OSGI-INF/*.xml} in it. A jar's other files under
 * {@code OSGI-INF} are not components, as SCR does not read them either (a jar built without
 * {@code clean} may still hold the description of a class since renamed).
 *
 * <p>A component whose provided interfaces include a family's ({@link Families#byInterface}) is
 * instantiated with its public no-argument constructor and added under each such family. It must
 * need nothing from SCR: one with references, an activate method or a required configuration,
 * one that cannot be instantiated, or whose {@code name} property differs from its
 * {@link Pluggable#name()}, makes {@link #discover} fail with every such problem named.
 * Components that provide no family interface are skipped; so are disabled and factory
 * components, which Karaf does not offer as services either.
 */
public final class ClasspathImplementations {

    private static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final String OSGI_INF = "OSGI-INF";

    private ClasspathImplementations() {
    }

    /** Discovers with the thread's context class loader (or this class's when there is none). */
    public static Implementations discover() {
        return discover(defaultLoader());
    }

    /**
     * Discovers the implementations {@code loader} sees.
     *
     * @throws IllegalStateException naming every component that provides a pinlab service but
     *                               cannot be offered, and why
     */
    public static Implementations discover(ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        Implementations out = new Implementations();
        Map<String, String> classByName = new HashMap<>();
        for (Map.Entry<URL, String> d : descriptions(loader, problems).entrySet()) {
            URL url = d.getKey();
            List<ComponentDescriptor> components;
            try {
                components = ComponentDescriptor.read(url);
            } catch (IOException e) {
                problems.add(url + ": cannot read the component description: " + e.getMessage());
                continue;
            }
            for (ComponentDescriptor c : components) {
                String problem = offer(c, loader, out, classByName, d.getValue());
                if (problem != null) {
                    problems.add("component " + c.name() + " (" + c.source() + "): " + problem);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot offer " + problems.size()
                    + " pinlab component(s) found on the class path:\n  - " + String.join("\n  - ", problems));
        }
        return out;
    }

    static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClasspathImplementations.class.getClassLoader();
    }

    /**
     * The description files, each once, in class path order, with the Bundle-Version of the
     * manifest that lists them ("" for a directory no manifest lists): the version Karaf
     * would give the bundle, so a run here has the trace hash it has there.
     */
    private static Map<URL, String> descriptions(ClassLoader loader, List<String> problems) {
        Map<String, URL> out = new LinkedHashMap<>();
        Map<String, String> versions = new HashMap<>();
        Set<String> declared = new HashSet<>(); // roots whose manifest lists their components
        try {
            for (URL mf : Collections.list(loader.getResources(MANIFEST))) {
                String root = mf.toString().substring(0, mf.toString().length() - MANIFEST.length());
                String header;
                String version;
                try (InputStream in = mf.openStream()) {
                    Attributes main = new Manifest(in).getMainAttributes();
                    header = main.getValue("Service-Component");
                    version = main.getValue("Bundle-Version");
                }
                if (header == null) {
                    continue;
                }
                declared.add(root);
                for (String entry : header.split(",")) {
                    String path = entry.strip();
                    if (path.contains("*")) {
                        problems.add(mf + ": Service-Component entry '" + path
                                + "' is a pattern; pinlab-testing reads listed files only (bnd lists them)");
                    } else if (!path.isEmpty()) {
                        URL url = new URL(root + path);
                        out.putIfAbsent(url.toString(), url);
                        versions.putIfAbsent(url.toString(), version == null ? "" : version.strip());
                    }
                }
            }
            for (URL dir : Collections.list(loader.getResources(OSGI_INF))) {
                String text = dir.toString().replaceAll("/$", "");
                String root = text.substring(0, text.length() - OSGI_INF.length());
                if (!"file".equals(dir.getProtocol()) || declared.contains(root)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                        URL url = p.toUri().toURL();
                        out.putIfAbsent(url.toString(), url);
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the class path's component descriptions: " + e, e);
        }
        Map<URL, String> withVersions = new LinkedHashMap<>();
        out.forEach((key, url) -> withVersions.put(url, versions.getOrDefault(key, "")));
        return withVersions;
    }

    /** Adds {@code c} under each family it provides; returns why it cannot be, or null. */
    private static String offer(ComponentDescriptor c, ClassLoader loader, Implementations out,
                                Map<String, String> classByName, String version) {
        List<Family<?>> families = c.provides().stream().map(Families::byInterface).flatMap(Optional::stream)
                .toList();
        if (families.isEmpty() || !c.enabled() || c.factory() != null) {
            return null;
        }
        if (!c.references().isEmpty()) {
            return "it has references (" + String.join(", ", c.references())
                    + ") that SCR would bind and the plain class path cannot; a pinlab service needs none";
        }
        if ("require".equals(c.configurationPolicy())) {
            return "it requires a configuration (configuration-policy=\"require\"), which the plain class path has not";
        }
        Object instance;
        try {
            instance = instantiate(c, loader);
        } catch (ReflectiveOperationException | LinkageError e) {
            return e.getMessage();
        }
        for (Family<?> family : families) {
            if (!family.type().isInstance(instance)) {
                return c.implementation() + " does not implement " + family.type().getName()
                        + " (or sees another copy of it)";
            }
            String name = ((Pluggable) instance).name();
            String property = c.property("name");
            if (property == null) {
                return "it has no single-valued 'name' service property; the lab and *.target filters select "
                        + family.name() + " implementations by it (bnd: @Component(property = \"name=" + name + "\"))";
            }
            if (!property.equals(name)) {
                return "its 'name' property is '" + property + "' but " + c.implementation() + ".name() is '"
                        + name + "'; they must agree";
            }
            String previous = classByName.putIfAbsent(family.name() + "/" + name, c.implementation());
            if (previous != null && !previous.equals(c.implementation())) {
                return "another " + family.name() + " is already named '" + name + "': " + previous;
            }
            add(out, family, (Pluggable) instance, version);
        }
        return null;
    }

    private static Object instantiate(ComponentDescriptor c, ClassLoader loader) throws ReflectiveOperationException {
        Class<?> cls;
        try {
            cls = Class.forName(c.implementation(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("its class " + c.implementation() + " is not on the class path"
                    + " (a description left behind by a renamed or deleted class? a clean build rewrites OSGI-INF)", e);
        }
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers())) {
            throw new InstantiationException(c.implementation() + " is not a public concrete class");
        }
        String activate = c.activate() != null ? c.activate() : hasMethod(cls, "activate") ? "activate" : null;
        if (activate != null) {
            throw new InstantiationException("SCR would call its activate method " + activate
                    + "(), which the plain class path does not; a pinlab service is ready when constructed");
        }
        Constructor<?> ctor;
        try {
            ctor = cls.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException(c.implementation() + " has no public no-argument constructor");
        }
        try {
            return ctor.newInstance();
        } catch (InvocationTargetException e) {
            throw new InstantiationException("new " + c.implementation() + "() threw " + e.getCause());
        }
    }

    /** Whether {@code cls} or a superclass declares a method of that name (DS's default activate method). */
    private static boolean hasMethod(Class<?> cls, String name) {
        for (Class<?> k = cls; k != null && k != Object.class; k = k.getSuperclass()) {
            for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T extends Pluggable> void add(Implementations out, Family<T> family, Pluggable p, String version) {
        out.add(family, family.cast(p), version);
    }
}
