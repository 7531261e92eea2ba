package org.pinlab.scenarios.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.pinlab.scenarios.ScenarioException;

/**
 * A YAML document as a tree that remembers where each node was written, so that checks made
 * after parsing (an unknown strategy, an impossible size) can still name the line and column.
 * Jackson's YAML parser reads the text; this only keeps the locations its tree model drops.
 */
public final class Node {

    public enum Kind { MAP, LIST, SCALAR, NULL }

    private static final YAMLFactory YAML = new YAMLFactory();

    final String source;
    public final Kind kind;
    public final int line;
    public final int column;
    private final String text;
    private final Map<String, Node> fields;
    private final Map<String, int[]> keyLocations;
    private final List<Node> items;

    private Node(String source, Kind kind, JsonLocation at, String text, Map<String, Node> fields,
                 Map<String, int[]> keyLocations, List<Node> items) {
        this(source, kind, at.getLineNr(), at.getColumnNr(), text, fields, keyLocations, items);
    }

    private Node(String source, Kind kind, int line, int column, String text, Map<String, Node> fields,
                 Map<String, int[]> keyLocations, List<Node> items) {
        this.source = source;
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.text = text;
        this.fields = fields;
        this.keyLocations = keyLocations;
        this.items = items;
    }

    /** Parses one YAML document. */
    public static Node parse(String source, String yaml) {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ScenarioException(source, 1, 1, "the file is empty; expected a mapping of scenario keys");
            }
            Node root = read(source, p);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new ScenarioException(source, at.getLineNr(), at.getColumnNr(),
                        "a second document; a scenario file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException(source, at != null ? at.getLineNr() : 0, at != null ? at.getColumnNr() : 0,
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ScenarioException(source, 0, 0, "cannot read: " + e.getMessage());
        }
    }

    private static Node read(String source, JsonParser p) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, int[]> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    if (fields.containsKey(key)) {
                        throw new ScenarioException(source, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "key '" + key + "' appears twice in this mapping");
                    }
                    p.nextToken();
                    keys.put(key, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
                    fields.put(key, read(source, p));
                }
                return new Node(source, Kind.MAP, at, null, fields, keys, null);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(source, p));
                }
                return new Node(source, Kind.LIST, at, null, null, null, items);
            }
            case VALUE_NULL:
                return new Node(source, Kind.NULL, at, null, null, null, null);
            default:
                return new Node(source, Kind.SCALAR, at, p.getText(), null, null, null);
        }
    }

    /**
     * This mapping with {@code key} set to {@code value}, which keeps the location it was
     * written at (an override from elsewhere in the file); {@code keyAt} gives the key's.
     */
    public Node with(String key, Node value, Node keyAt, String keyName) {
        Map<String, Node> f = new LinkedHashMap<>(fields());
        Map<String, int[]> k = new LinkedHashMap<>(keyLocations == null ? Map.of() : keyLocations);
        f.put(key, value);
        k.put(key, keyAt.keyLocations.get(keyName));
        return new Node(source, Kind.MAP, line, column, null, f, k, null);
    }

    /**
     * {@code override} laid over this node: mappings merge key by key (recursively), anything
     * else is replaced. Every merged node keeps the location it was written at.
     */
    public Node merged(Node override) {
        if (kind != Kind.MAP || override.kind != Kind.MAP) {
            return override;
        }
        Node out = this;
        for (Map.Entry<String, Node> e : override.fields().entrySet()) {
            Node was = fields().get(e.getKey());
            out = out.with(e.getKey(), was == null ? e.getValue() : was.merged(e.getValue()), override, e.getKey());
        }
        return out;
    }

    /** This list with item {@code index} replaced. */
    public Node withItem(int index, Node item) {
        List<Node> i = new ArrayList<>(items());
        i.set(index, item);
        return new Node(source, Kind.LIST, line, column, null, null, null, i);
    }

    /** An error at this node. */
    public ScenarioException error(String problem) {
        return new ScenarioException(source, line, column, problem);
    }

    /** An error at the key {@code key} of this mapping. */
    public ScenarioException keyError(String key, String problem) {
        int[] at = keyLocations.get(key);
        return new ScenarioException(source, at[0], at[1], problem);
    }

    public Map<String, Node> fields() {
        return fields == null ? Map.of() : Collections.unmodifiableMap(fields);
    }

    public List<Node> items() {
        return items == null ? List.of() : Collections.unmodifiableList(items);
    }

    public String text() {
        return text;
    }

    public String source() {
        return source;
    }
}
