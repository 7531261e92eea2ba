package org.pinlab.kernel.internal.access;

import java.util.Objects;
import java.util.function.Function;

import org.pinlab.kernel.Machine;
import org.pinlab.kernel.internal.Kernel;

/**
 * The kernel behind a {@link Machine}, for this bundle's own code (the self-tests, the
 * kernel's tests) and for benchmarks on the plain classpath. {@code Machine} offers only
 * the API; it hands its kernel here when its class loads, so the internal type never
 * appears on an exported signature. Not exported.
 */
public final class MachineKernel {

    private static volatile Function<Machine, Kernel> kernelOf;

    private MachineKernel() {
    }

    /** Called once, by {@code Machine}'s static initializer. */
    public static void expose(Function<Machine, Kernel> kernelOf) {
        if (MachineKernel.kernelOf != null) {
            throw new IllegalStateException("the machine's kernel is exposed once");
        }
        MachineKernel.kernelOf = kernelOf;
    }

    /** The kernel of {@code machine}. */
    public static Kernel of(Machine machine) {
        Objects.requireNonNull(machine, "machine");
        return kernelOf.apply(machine); // set: constructing the machine loaded its class
    }
}
