/**
 * The device SPI. A {@link org.pinlab.api.device.DeviceType} service creates a
 * {@link org.pinlab.api.device.Device} per attachment; the kernel runs each device as one
 * simulated task (its driver thread and its DMA engine) and calls
 * {@link org.pinlab.api.device.Device#step} once per atomic step. A device never calls GUP:
 * it asks its {@link org.pinlab.api.device.DeviceContext} to pin a user range, writes and
 * reads the pinned frames by physical address, and releases them; the active release
 * strategy decides what pinning and releasing become (FOLL_GET, FOLL_PIN, bounce buffers).
 */
@Export
@Version("2.1.0")
package org.pinlab.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
