package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pinlab.api.finding.FindingKind;
import org.pinlab.sim.Engine;
import org.pinlab.sim.EngineConfig;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Schedulers;
import org.pinlab.sim.Task;

class ChromeTraceTest {

    /** Takes {@code n} steps of {@code cost} ns; at step {@code warnAt} it raises a WARN. */
    static final class Worker extends Proc {
        private final int n;
        private final long cost;
        private final int warnAt;

        Worker(String function, int n, long cost, int warnAt) {
            super(function);
            this.n = n;
            this.cost = cost;
            this.warnAt = warnAt;
        }

        @Override
        protected int step(Task task) {
            if (pc == n) {
                return task.ret();
            }
            if (pc == warnAt) {
                task.engine().report(FindingKind.WARN, "WARNING: odd state in " + function() + " <&>");
            }
            pc++;
            return task.next(cost);
        }
    }

    private static Engine engine(ChromeTrace trace, int steps) {
        Engine e = new Engine(1, Schedulers.random(1), EngineConfig.DEFAULT);
        e.addListener(trace);
        e.spawn("writer", new Worker("do_page_mkwrite", steps, 1500, 2), 0);
        e.spawn("kworker/u8:flush", new Worker("writeback_sb_inodes", steps, 1000, -1), 250);
        e.run();
        return e;
    }

    private static Map<String, Object> written(ChromeTrace trace) throws IOException {
        StringWriter w = new StringWriter();
        trace.write(w);
        return JsonTree.object(JsonTree.parse(w.toString()));
    }

    private static List<Map<String, Object>> events(Map<String, Object> root, String ph) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : JsonTree.array(root.get("traceEvents"))) {
            Map<String, Object> e = JsonTree.object(o);
            if (ph.equals(e.get("ph"))) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void aRunBecomesThreadsOfCompleteEventsWithFindingsAsInstants() throws IOException {
        ChromeTrace trace = new ChromeTrace();
        Engine e = engine(trace, 5);
        Map<String, Object> root = written(trace);
        assertEquals("ns", root.get("displayTimeUnit"));

        Set<String> threadNames = new HashSet<>();
        Set<Long> namedTids = new HashSet<>();
        for (Map<String, Object> m : events(root, "M")) {
            assertEquals(1L, m.get("pid"));
            if ("thread_name".equals(m.get("name"))) {
                threadNames.add((String) JsonTree.object(m.get("args")).get("name"));
                namedTids.add((Long) m.get("tid"));
            }
        }
        assertEquals(Set.of("writer", "kworker/u8:flush"), threadNames);
        assertEquals(Set.of(0L, 1L), namedTids);

        List<Map<String, Object>> steps = events(root, "X");
        assertEquals(e.steps(), steps.size(), "every step is an event");
        double last = -1;
        Set<Object> functions = new HashSet<>();
        for (Map<String, Object> x : steps) {
            assertEquals(1L, x.get("pid"));
            assertTrue(namedTids.contains(x.get("tid")), "every thread with steps is named");
            assertTrue(JsonTree.number(x.get("dur")) >= 0, x.toString());
            double ts = JsonTree.number(x.get("ts"));
            assertTrue(ts >= last, "steps in time order");
            last = ts;
            assertTrue(JsonTree.object(x.get("args")).get("pc") instanceof Long);
            functions.add(x.get("name"));
        }
        assertEquals(Set.of("do_page_mkwrite", "writeback_sb_inodes"), functions);
        // the writer's steps cost 1500 ns: 1.5 us, fractional microseconds
        assertTrue(steps.stream().anyMatch(x -> x.get("dur") instanceof Double
                && JsonTree.number(x.get("dur")) == 1.5), steps.toString());

        List<Map<String, Object>> instants = events(root, "i");
        assertEquals(1, instants.size());
        Map<String, Object> warn = instants.get(0);
        assertEquals("g", warn.get("s"));
        assertEquals(0L, warn.get("tid"), "placed on the writer's thread");
        Map<String, Object> args = JsonTree.object(warn.get("args"));
        assertEquals("WARN", args.get("kind"));
        assertEquals("WARNING: odd state in do_page_mkwrite <&>", args.get("message"));
        assertEquals("writer", args.get("task"));
        assertEquals(List.of("do_page_mkwrite+2"), args.get("backtrace"));
        assertEquals(e.findings().get(0).timeNs() / 1000.0, JsonTree.number(warn.get("ts")), 1e-9);

        Map<String, Object> other = JsonTree.object(root.get("otherData"));
        assertEquals(0L, other.get("droppedSteps"));
        assertEquals(false, other.get("truncated"));
        assertEquals(e.steps(), other.get("steps"));
    }

    @Test
    void pastTheEventLimitStepsAreCountedButDropped() throws IOException {
        ChromeTrace trace = new ChromeTrace(7);
        Engine e = engine(trace, 20);
        assertEquals(e.steps(), trace.steps());
        assertEquals(7, trace.events(), "two thread names and five steps");
        assertEquals(5, trace.keptSteps());
        assertEquals(e.steps() - 5, trace.droppedSteps());
        Map<String, Object> root = written(trace);
        assertEquals(5, events(root, "X").size());
        assertEquals(2, events(root, "M").stream().filter(m -> "thread_name".equals(m.get("name"))).count());
        Map<String, Object> other = JsonTree.object(root.get("otherData"));
        assertEquals(e.steps() - 5, other.get("droppedSteps"));
        assertEquals(7L, other.get("maxEvents"));
        assertEquals(true, other.get("truncated"));
        // the finding and the point where dropping began are still there
        assertTrue(events(root, "i").stream().anyMatch(i -> "WARN".equals(i.get("name"))));
        assertTrue(events(root, "i").stream().anyMatch(i -> "trace".equals(i.get("cat"))));
    }

    @Test
    void microsecondsAreExactDecimals() {
        assertEquals("0", ChromeTrace.micros(0));
        assertEquals("0.007", ChromeTrace.micros(7));
        assertEquals("1.5", ChromeTrace.micros(1500));
        assertEquals("2", ChromeTrace.micros(2000));
        assertEquals("120000000.001", ChromeTrace.micros(120_000_000_001L));
    }
}
