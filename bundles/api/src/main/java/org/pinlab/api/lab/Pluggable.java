package org.pinlab.api.lab;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An implementation users can choose: every allocator, strategy, policy, filesystem
 * type and device type is one, registered as an OSGi service with a {@code name}
 * property equal to {@link #name()}.
 */
@ConsumerType
public interface Pluggable {

    /** The name users select it by, unique within its family. */
    String name();

    /** One paragraph for users: what it does and which kernel (or proposal) it stands for. */
    String description();
}
