/**
 * Test fixtures of the device SPI, shipped in the api test-jar (not in the bundle): a device
 * bundle's unit tests run its {@link org.pinlab.api.device.Device} against
 * {@link org.pinlab.api.device.testing.FakeDeviceContext}, which stands in for the kernel's
 * device host, and assert on the {@link org.pinlab.api.device.testing.Event}s it recorded.
 * A bundle depends on {@code pinlab-api} with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>}.
 */
package org.pinlab.api.device.testing;
