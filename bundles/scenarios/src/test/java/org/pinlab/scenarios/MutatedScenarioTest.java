package org.pinlab.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.pinlab.api.lab.Implementations;
import org.pinlab.sim.Schedulers;

/**
 * Catalog scenarios with one thing changed at random (seeded): a key removed, a list entry
 * removed or doubled, a value replaced by a wrong type or an extreme, or a number or duration
 * pushed to an edge of its range. Each must either be refused with a {@link ScenarioException}
 * naming a line, or load and run; nothing else may escape, at load or at run time.
 */
class MutatedScenarioTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNode[] WRONG = {IntNode.valueOf(0), IntNode.valueOf(-1), LongNode.valueOf(Long.MAX_VALUE),
        IntNode.valueOf(Integer.MAX_VALUE), TextNode.valueOf(""), TextNode.valueOf("abc"), TextNode.valueOf("0ms"),
        TextNode.valueOf("9999999s"), NullNode.instance, BooleanNode.TRUE, TextNode.valueOf("100%"),
        IntNode.valueOf(101)};
    private static final String[] DURATIONS = {"1ns", "1us", "100us", "1ms", "50ms", "10s", "0ms"};

    private final Implementations impls = TestImplementations.all();
    private final ScenarioLoader loader = new ScenarioLoader(impls);
    private final Runner runner = new Runner(impls);

    @Test
    void aMutatedScenarioIsRefusedAtALineOrRunsWithoutCrashing() throws Exception {
        Random random = new Random(20261122);
        List<String> names = Catalog.names();
        int refused = 0;
        int ran = 0;
        for (int i = 0; i < 120; i++) {
            String name = names.get(random.nextInt(names.size()));
            JsonNode root = YAML.readTree(Catalog.yaml(name));
            String change = i % 2 == 0 ? breakSomething(root, random) : pushToAnEdge(root, random);
            String yaml = YAML.writeValueAsString(root);
            Scenario s;
            try {
                s = loader.load("mutated.yaml", yaml);
            } catch (ScenarioException e) {
                assertTrue(e.line() > 0, name + " with " + change + ": no line in " + e.getMessage());
                refused++;
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(name + " with " + change + ": the loader threw " + e, e);
            }
            String combination = s.combinations().keySet().iterator().next();
            try {
                runner.run(s, combination, 1, Schedulers.random(1));
                ran++;
            } catch (RuntimeException e) {
                throw new AssertionError(name + " with " + change + " loaded, then its run threw " + e, e);
            }
        }
        // both sides were exercised: the mutations are neither all fatal nor all harmless
        if (refused < 20 || ran < 20) {
            fail("refused " + refused + ", ran " + ran);
        }
    }

    /** Removes a key or list entry, doubles a list entry, or puts a wrong or extreme value somewhere. */
    private static String breakSomething(JsonNode root, Random random) {
        List<Slot> slots = slots(root, false);
        Slot slot = slots.get(random.nextInt(slots.size()));
        int op = random.nextInt(8);
        if (op == 0) {
            slot.remove();
            return "removed " + slot.path;
        }
        if (op == 1 && slot.parent instanceof ArrayNode a) {
            a.add(a.get(slot.index).deepCopy());
            return "doubled " + slot.path;
        }
        JsonNode v = WRONG[random.nextInt(WRONG.length)];
        slot.set(v);
        return slot.path + " = " + v;
    }

    /** Moves one number or duration to an edge: 0, 1, 2, 100 times it, a hundredth of it. */
    private static String pushToAnEdge(JsonNode root, Random random) {
        List<Slot> slots = slots(root, true);
        Slot slot = slots.get(random.nextInt(slots.size()));
        JsonNode v = slot.get();
        JsonNode nv;
        if (v.isNumber()) {
            long x = v.asLong();
            long[] edges = {0, 1, 2, x - 1, x + 1, x * 10, x * 100, Math.max(1, x / 100)};
            nv = LongNode.valueOf(edges[random.nextInt(edges.length)]);
        } else if (v.isBoolean()) {
            nv = BooleanNode.valueOf(!v.asBoolean());
        } else if (v.asText().matches("[0-9]+(ns|us|ms|s)")) {
            nv = TextNode.valueOf(DURATIONS[random.nextInt(DURATIONS.length)]);
        } else {
            return "nothing (" + slot.path + " is text)";
        }
        slot.set(nv);
        return slot.path + " = " + nv;
    }

    private record Slot(JsonNode parent, String key, int index, String path) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(key) : parent.get(index);
        }

        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(key, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(key);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static List<Slot> slots(JsonNode root, boolean valuesOnly) {
        List<Slot> out = new ArrayList<>();
        collect(root, "", out);
        if (valuesOnly) {
            out.removeIf(s -> !s.get().isValueNode());
        }
        return out;
    }

    private static void collect(JsonNode n, String path, List<Slot> out) {
        if (n instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                out.add(new Slot(o, k, -1, path + "." + k));
                collect(o.get(k), path + "." + k, out);
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i, path + "[" + i + "]"));
                collect(a.get(i), path + "[" + i + "]", out);
            }
        }
    }
}
