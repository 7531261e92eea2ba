package org.pinlab.api.device;

import org.osgi.annotation.versioning.ProviderType;

/** A range of a process's address space given to a device to work on (a scenario's buffer). */
@ProviderType
public interface UserBuffer {

    /** The buffer's name, unique on the machine, as findings and pin listings show it. */
    String name();

    /** The process whose memory it is. */
    String process();

    /** Its length in pages. */
    int pages();

    /** Whether a file backs it (a shared file mapping) rather than anonymous memory. */
    boolean fileBacked();
}
