package org.pinlab.api.lab;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The active choice for every pluggable family. Backed by the ConfigAdmin PID
 * {@value #PID}: {@link #use} is the same as {@code config:property-set} on it.
 */
@ProviderType
public interface Lab {

    /** ConfigAdmin PID holding one property per family: {@code family = name}. */
    String PID = "org.pinlab.lab";

    /** The families, in display order. */
    List<String> families();

    /** Every registered implementation of a family, the active one marked. */
    List<Implementation> available(String family);

    /** The name configured for a family (which may not be registered right now). */
    String configured(String family);

    /**
     * The implementation in force for a family: the configured one if registered, else the
     * family's documented default, else (for policy families) the kernel's built-in
     * behaviour, written {@code name (built-in)}; {@code none} if the family has nothing.
     */
    String effective(String family);

    /**
     * Makes {@code name} the active implementation of {@code family}, persistently.
     *
     * @throws IllegalArgumentException if the family is unknown or no implementation of
     *                                  that name is registered; nothing changes then
     */
    void use(String family, String name);
}
