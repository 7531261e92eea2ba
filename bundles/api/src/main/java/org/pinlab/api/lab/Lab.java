package org.pinlab.api.lab;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one registry of pinlab's pluggable families: what is bound (every implementation
 * registered as a service) and what is chosen (the active implementation of every
 * {@link Family.Kind#CHOSEN} family). The choices are backed by the ConfigAdmin PID
 * {@value #PID}: {@link #use} is the same as {@code config:property-set} on it.
 */
@ProviderType
public interface Lab {

    /** ConfigAdmin PID holding one property per chosen family: {@code family = name}. */
    String PID = "org.pinlab.lab";

    /** Every family, in display order. */
    List<Family<?>> families();

    /**
     * A family by name.
     *
     * @throws IllegalArgumentException naming the nearest family and every valid one
     */
    Family<?> family(String name);

    /** Every registered implementation of a family, the active one marked. */
    List<Implementation> available(Family<?> family);

    /** The name configured for a chosen family (which may not be registered right now). */
    String configured(Family<?> family);

    /**
     * The implementation in force for a chosen family: the configured one if registered, else
     * the family's documented default, else (for policy families) the kernel's built-in
     * behaviour, written {@code name (built-in)}; {@code none} if the family has nothing.
     */
    String effective(Family<?> family);

    /**
     * Makes {@code name} the active implementation of {@code family}, persistently.
     *
     * @throws IllegalArgumentException if the family is not chosen or no implementation of
     *                                  that name is registered; nothing changes then
     */
    void use(Family<?> family, String name);

    /**
     * The changes of the chosen families' choices numbered after {@code afterRequest}, in
     * request order, each once: every {@link #use} and every edit of the PID that changed a
     * choice. The lab keeps the last {@value #KEPT_SWAPS}.
     */
    List<SwapRequest> swaps(long afterRequest);

    /** The number of the last change of a choice, 0 if none since the lab started. */
    long lastSwap();

    /** How many changes {@link #swaps} keeps. */
    int KEPT_SWAPS = 100_000;

    /** The implementations registered now, as an immutable snapshot for one load or one run. */
    Implementations bound();

    /** Grows by one at every registration or unregistration of an implementation. */
    long version();

    /** Hears about every registration and unregistration, on the thread that made it. */
    void addListener(Runnable listener);

    void removeListener(Runnable listener);
}
