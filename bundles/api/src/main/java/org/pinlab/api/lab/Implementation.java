package org.pinlab.api.lab;

/**
 * One available implementation of a family, as the lab lists it.
 *
 * @param family        the family, e.g. {@code allocator}
 * @param name          its name, e.g. {@code buddy}
 * @param description   its one-paragraph description
 * @param active        whether it is the family's active choice (never for a named family)
 * @param bundle        the symbolic name of the bundle that registered it, or {@code classpath}
 *                      for an implementation added without OSGi
 * @param bundleVersion that bundle's version, or empty without OSGi
 */
public record Implementation(String family, String name, String description, boolean active, String bundle,
                             String bundleVersion) {
}
