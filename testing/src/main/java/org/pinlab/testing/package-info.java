/**
 * The test kit for bundle authors, on the plain classpath: contract suites and the scenario API.
 */
package org.pinlab.testing;
