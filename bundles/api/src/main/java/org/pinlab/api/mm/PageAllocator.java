package org.pinlab.api.mm;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/**
 * The page allocator as a pluggable service. One service serves many machines: each
 * machine asks it for its own {@link PhysicalMemory} over its {@link MemoryLayout}.
 * Implementations register with a {@code name} service property (for example
 * {@code buddy}); the kernel uses the one its configuration names.
 */
@ConsumerType
public interface PageAllocator extends Pluggable {

    /** A fresh allocator state with every frame of the layout free. */
    PhysicalMemory create(MemoryLayout layout);
}
