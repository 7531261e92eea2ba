/**
 * The test kit for bundle authors, on the plain classpath (no OSGi): the contract suites, and the
 * scenario API. {@link org.pinlab.testing.Scenarios} loads a scenario (a file, the catalog, or
 * code), {@link org.pinlab.testing.ScenarioUnderTest#run} runs it over {@link org.pinlab.testing.Seeds},
 * and {@link org.pinlab.testing.Outcome} asserts on its findings with an
 * {@link org.pinlab.testing.Occurrence}. The implementations come from the class path's
 * Declarative Services descriptions ({@link org.pinlab.testing.ClasspathImplementations}), as
 * Karaf would find them.
 */
package org.pinlab.testing;
