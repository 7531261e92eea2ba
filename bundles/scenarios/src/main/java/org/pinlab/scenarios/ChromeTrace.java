package org.pinlab.scenarios;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import org.pinlab.api.finding.Finding;
import org.pinlab.sim.Engine;
import org.pinlab.sim.Proc;
import org.pinlab.sim.Scheduler;
import org.pinlab.sim.StepListener;
import org.pinlab.sim.Task;

/**
 * Records one run as a Chrome trace (the trace-event "JSON Object Format"), which Perfetto
 * and {@code chrome://tracing} open: the machine is process 1, every task a thread (its id
 * the task id, named by a {@code thread_name} metadata event), every step a complete event
 * ({@code "X"}) named after the function whose step it was, from the step's start to the
 * time the task is ready again, with the activation's pc in its args. Findings are global
 * instant events ({@code "i"}, scope {@code "g"}) carrying kind, message, task, step and
 * backtrace. Timestamps are simulated time in microseconds, with the nanoseconds as
 * fractions.
 *
 * <pre>{@code
 * ChromeTrace trace = new ChromeTrace();
 * RunResult r = runner.run(scenario, combination, seed, scheduler, trace);
 * trace.write(writer);
 * }</pre>
 *
 * <p>Memory is bounded: at most {@code maxEvents} step and thread-name events are kept
 * (about 28 bytes a step); later steps are counted but dropped, and the output says so in
 * {@code otherData} and with an instant event where the dropping began. At most
 * {@value #MAX_FINDINGS} findings are kept. One trace belongs to one run and one thread.
 */
public final class ChromeTrace implements StepListener {

    /** The default bound on kept step and thread-name events. */
    public static final int DEFAULT_MAX_EVENTS = 1_000_000;
    /** Findings kept, as the engine keeps them; later ones are counted. */
    public static final int MAX_FINDINGS = 1000;
    /** Task names remembered to place findings on their task's thread. */
    private static final int MAX_NAMES = 65_536;

    private static final int PID = 1;

    private final int maxEvents;
    private final String processName;

    // kept steps, as parallel arrays: no object per step
    private int[] tid;
    private long[] startNs;
    private long[] durNs;
    private int[] function;
    private int[] pc;
    private int steps;

    private final Map<String, Integer> functionIds = new HashMap<>();
    private final List<String> functions = new ArrayList<>();

    private final BitSet named = new BitSet();
    private final List<Integer> threadIds = new ArrayList<>();
    private final List<String> threadNames = new ArrayList<>();
    private final Map<String, Integer> tidByName = new HashMap<>();

    private final List<Finding> findings = new ArrayList<>();
    private final List<Integer> findingTids = new ArrayList<>();
    private long droppedFindings;

    private long seenSteps;
    private long droppedSteps;
    private long firstDroppedNs = -1;
    private Engine engine;

    /** Keeps up to {@value #DEFAULT_MAX_EVENTS} events. */
    public ChromeTrace() {
        this(DEFAULT_MAX_EVENTS);
    }

    /** @param maxEvents the most step and thread-name events to keep (at least 1) */
    public ChromeTrace(int maxEvents) {
        this(maxEvents, "machine");
    }

    /**
     * @param maxEvents   the most step and thread-name events to keep (at least 1)
     * @param processName what the viewer calls the machine, e.g. {@code seed-001/legacy seed 3}
     */
    public ChromeTrace(int maxEvents, String processName) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.processName = processName == null ? "machine" : processName;
        int initial = Math.min(maxEvents, 1024);
        tid = new int[initial];
        startNs = new long[initial];
        durNs = new long[initial];
        function = new int[initial];
        pc = new int[initial];
    }

    /** Runs one seed with a trace attached and writes the trace; returns the run's result. */
    public static RunResult record(Runner runner, Scenario s, String combination, long seed, Scheduler scheduler,
                                   int maxEvents, Writer out) throws IOException {
        ChromeTrace trace = new ChromeTrace(maxEvents, s.name() + " / " + combination + " / seed " + seed);
        RunResult r = runner.run(s, combination, seed, scheduler, trace);
        trace.write(out);
        return r;
    }

    // ---- recording ---------------------------------------------------------------------

    @Override
    public void onStep(Task task, Proc proc, long start, long end) {
        seenSteps++;
        if (engine == null) {
            engine = task.engine();
        }
        int id = task.id();
        if (tidByName.size() < MAX_NAMES || tidByName.containsKey(task.name())) {
            tidByName.put(task.name(), id);
        }
        boolean needsName = !named.get(id);
        if (events() + (needsName ? 2 : 1) > maxEvents) {
            if (droppedSteps++ == 0) {
                firstDroppedNs = start;
            }
            return;
        }
        if (needsName) {
            named.set(id);
            threadIds.add(id);
            threadNames.add(task.name());
        }
        if (steps == tid.length) {
            int n = (int) Math.min(maxEvents, Math.max(16L, 2L * steps));
            tid = Arrays.copyOf(tid, n);
            startNs = Arrays.copyOf(startNs, n);
            durNs = Arrays.copyOf(durNs, n);
            function = Arrays.copyOf(function, n);
            pc = Arrays.copyOf(pc, n);
        }
        tid[steps] = id;
        startNs[steps] = start;
        durNs[steps] = Math.max(0, end - start);
        function[steps] = functionId(proc.function());
        pc[steps] = proc.pc();
        steps++;
    }

    @Override
    public void onFinding(Finding f) {
        if (findings.size() >= MAX_FINDINGS) {
            droppedFindings++;
            return;
        }
        Integer t;
        Task current = engine == null ? null : engine.current();
        if (current != null && current.name().equals(f.task())) {
            t = current.id();
        } else {
            t = tidByName.get(f.task());
        }
        findings.add(f);
        findingTids.add(t == null ? 0 : t);
    }

    private int functionId(String name) {
        Integer i = functionIds.get(name);
        if (i == null) {
            i = functions.size();
            functions.add(name);
            functionIds.put(name, i);
        }
        return i;
    }

    /** Step and thread-name events kept. */
    public int events() {
        return steps + threadIds.size();
    }

    /** Steps seen, kept or not. */
    public long steps() {
        return seenSteps;
    }

    /** Steps kept as events. */
    public int keptSteps() {
        return steps;
    }

    /** Steps seen after the event limit was reached. */
    public long droppedSteps() {
        return droppedSteps;
    }

    public int maxEvents() {
        return maxEvents;
    }

    // ---- writing -----------------------------------------------------------------------

    /** Writes the trace as JSON, one event a line. Leaves {@code out} open (flushed). */
    public void write(Writer out) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new MinimalPrettyPrinter() {
                private static final long serialVersionUID = 1L;
                private int depth;

                @Override
                public void writeStartArray(JsonGenerator gen) throws IOException {
                    depth++;
                    super.writeStartArray(gen);
                    if (depth == 1) {
                        gen.writeRaw('\n');
                    }
                }

                @Override
                public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
                    if (depth == 1) {
                        gen.writeRaw('\n');
                    }
                    depth--;
                    super.writeEndArray(gen, nrOfValues);
                }

                @Override
                public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
                    super.writeArrayValueSeparator(gen);
                    if (depth == 1) {
                        gen.writeRaw('\n');
                    }
                }
            });
            g.writeStartObject();
            g.writeArrayFieldStart("traceEvents");
            metadata(g, "process_name", 0, "name", processName);
            for (int i = 0; i < threadIds.size(); i++) {
                metadata(g, "thread_name", threadIds.get(i), "name", threadNames.get(i));
            }
            int fi = 0;
            for (int i = 0; i < steps; i++) {
                while (fi < findings.size() && findings.get(fi).timeNs() <= startNs[i]) {
                    finding(g, fi++);
                }
                g.writeStartObject();
                g.writeStringField("name", functions.get(function[i]));
                g.writeStringField("cat", "step");
                g.writeStringField("ph", "X");
                g.writeFieldName("ts");
                g.writeNumber(micros(startNs[i]));
                g.writeFieldName("dur");
                g.writeNumber(micros(durNs[i]));
                g.writeNumberField("pid", PID);
                g.writeNumberField("tid", tid[i]);
                g.writeObjectFieldStart("args");
                g.writeNumberField("pc", pc[i]);
                g.writeEndObject();
                g.writeEndObject();
            }
            while (fi < findings.size()) {
                finding(g, fi++);
            }
            if (droppedSteps > 0) {
                g.writeStartObject();
                g.writeStringField("name", "trace event limit reached: later steps dropped");
                g.writeStringField("cat", "trace");
                g.writeStringField("ph", "i");
                g.writeStringField("s", "g");
                g.writeFieldName("ts");
                g.writeNumber(micros(firstDroppedNs));
                g.writeNumberField("pid", PID);
                g.writeNumberField("tid", 0);
                g.writeObjectFieldStart("args");
                g.writeNumberField("maxEvents", maxEvents);
                g.writeNumberField("droppedSteps", droppedSteps);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("clock", "simulated");
            g.writeStringField("process", processName);
            g.writeNumberField("steps", seenSteps);
            g.writeNumberField("keptSteps", steps);
            g.writeNumberField("droppedSteps", droppedSteps);
            g.writeNumberField("maxEvents", maxEvents);
            g.writeBooleanField("truncated", droppedSteps > 0 || droppedFindings > 0);
            g.writeNumberField("findings", findings.size() + droppedFindings);
            g.writeNumberField("droppedFindings", droppedFindings);
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void metadata(JsonGenerator g, String name, int tid, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField(key, value);
        g.writeEndObject();
        g.writeEndObject();
    }

    private void finding(JsonGenerator g, int i) throws IOException {
        Finding f = findings.get(i);
        g.writeStartObject();
        g.writeStringField("name", f.kind().name());
        g.writeStringField("cat", "finding");
        g.writeStringField("ph", "i");
        g.writeStringField("s", "g");
        g.writeFieldName("ts");
        g.writeNumber(micros(f.timeNs()));
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", findingTids.get(i));
        g.writeObjectFieldStart("args");
        g.writeStringField("kind", f.kind().name());
        g.writeStringField("message", f.message());
        g.writeStringField("task", f.task());
        g.writeNumberField("step", f.step());
        g.writeArrayFieldStart("backtrace");
        for (String frame : f.backtrace()) {
            g.writeString(frame);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Nanoseconds as exact decimal microseconds: 1500 -> "1.5", 2000 -> "2", 7 -> "0.007". */
    static String micros(long ns) {
        String sign = ns < 0 ? "-" : "";
        long a = Math.abs(ns);
        long whole = a / 1000;
        int frac = (int) (a % 1000);
        if (frac == 0) {
            return sign + whole;
        }
        String f = String.format(java.util.Locale.ROOT, "%03d", frac);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        return sign + whole + "." + f.substring(0, end);
    }
}
