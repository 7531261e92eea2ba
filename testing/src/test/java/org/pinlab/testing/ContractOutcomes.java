package org.pinlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;

import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs a contract subclass on the Jupiter engine and sorts its tests by outcome, by method name. */
final class ContractOutcomes {

    final Set<String> failed = new TreeSet<>();
    final Set<String> passed = new TreeSet<>();
    final Set<String> aborted = new TreeSet<>();

    private ContractOutcomes() {
    }

    static ContractOutcomes of(Class<?> contractTest) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(contractTest)).execute().testEvents();
        ContractOutcomes o = new ContractOutcomes();
        tests.failed().stream().map(ContractOutcomes::method).forEach(o.failed::add);
        tests.succeeded().stream().map(ContractOutcomes::method).forEach(o.passed::add);
        tests.aborted().stream().map(ContractOutcomes::method).forEach(o.aborted::add);
        return o;
    }

    private static String method(Event e) {
        String name = e.getTestDescriptor().getDisplayName();
        return name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
    }

    void assertExactly(Set<String> failing, Set<String> passing, Set<String> skipped) {
        assertEquals(new TreeSet<>(failing), failed, "the contract tests that must catch the breakage");
        assertEquals(new TreeSet<>(passing), passed, "the contract tests the breakage does not concern");
        assertEquals(new TreeSet<>(skipped), aborted, "the contract tests that do not apply");
    }
}
