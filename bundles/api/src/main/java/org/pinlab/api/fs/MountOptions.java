package org.pinlab.api.fs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A filesystem type's mount options, parsed strictly as {@code parse_options} does: each
 * option takes one of a fixed list of values, the first being its default. Keys and values
 * must match exactly. Immutable, so a type builds it once and parses every mount with it.
 */
public final class MountOptions {

    private final String fsType;
    /** Option -> its valid values, default first, in the order the type declared them. */
    private final Map<String, List<String>> choices;

    private MountOptions(String fsType, Map<String, List<String>> choices) {
        this.fsType = fsType;
        this.choices = choices;
    }

    /** No options yet; {@code fsType} prefixes every error message. */
    public static MountOptions of(String fsType) {
        return new MountOptions(Objects.requireNonNull(fsType, "fsType"), Collections.emptyMap());
    }

    /**
     * These options and one more, taking one of {@code values}; {@code values[0]} is its
     * default.
     */
    public MountOptions choice(String option, String... values) {
        if (values.length == 0 || choices.containsKey(option)) {
            throw new IllegalArgumentException(fsType + ": option '" + option + "' needs values and must be new");
        }
        Map<String, List<String>> more = new LinkedHashMap<>(choices);
        more.put(option, List.of(values));
        return new MountOptions(fsType, Collections.unmodifiableMap(more));
    }

    /**
     * Checks every given option before answering, so a bad one mounts nothing.
     *
     * @return every declared option with its value: the given one, or the default
     * @throws IllegalArgumentException for an unknown key (naming it and listing the valid
     *         options) or a bad value (naming the option, the value and the valid values)
     */
    public Map<String, String> parse(Map<String, String> given) {
        Objects.requireNonNull(given, "options");
        Map<String, String> values = new LinkedHashMap<>();
        choices.forEach((option, valid) -> values.put(option, valid.get(0)));
        for (Map.Entry<String, String> option : given.entrySet()) {
            List<String> valid = choices.get(option.getKey());
            if (valid == null) {
                throw new IllegalArgumentException(fsType + ": unknown mount option '" + option.getKey()
                        + "' (valid options: " + describe() + ")");
            }
            if (option.getValue() == null || !valid.contains(option.getValue())) {
                throw new IllegalArgumentException(fsType + ": bad value '" + option.getValue() + "' for mount option '"
                        + option.getKey() + "' (valid values: " + String.join(", ", valid) + ")");
            }
            values.put(option.getKey(), option.getValue());
        }
        return Collections.unmodifiableMap(values);
    }

    /** The options as users write them, e.g. {@code errors=bug|warn, data_csum=off|on}. */
    public String describe() {
        return choices.entrySet().stream().map(e -> e.getKey() + "=" + String.join("|", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return fsType + ": " + describe();
    }
}
