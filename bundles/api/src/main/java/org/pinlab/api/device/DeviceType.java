package org.pinlab.api.device;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.pinlab.api.lab.Pluggable;

/**
 * A kind of device ({@code rdma}, {@code gpu}, {@code nvme}), registered as a service with a
 * {@code name} property. Stateless: every attachment gets its own {@link Device}.
 */
@ConsumerType
public interface DeviceType extends Pluggable {

    /** The workload parameters this device accepts, each with its default and range. */
    List<Parameter> parameters();

    /**
     * Creates one device for one machine ({@code ->probe}). Parse {@code params} with
     * {@link Parameters#parse} so that every key is checked before anything is created.
     *
     * @param context the kernel services the device uses for its whole life
     * @param params  workload parameters by name; absent ones take their defaults
     * @throws IllegalArgumentException naming the parameter that is unknown or out of range
     */
    Device create(DeviceContext context, Map<String, String> params);
}
