package com.streamloom.node;

import com.streamloom.spec.SpecException;

import java.util.function.BiFunction;
import java.util.function.Function;

/** Reading a node's numeric limits: a config file value, an environment variable over it, a range check by name. */
final class LimitValues {
    private LimitValues() {
    }

    /** The environment's value of {@code name}, else {@code fileValue}; a value that is not a number names it. */
    static Long number(Function<String, String> env, String name, Long fileValue) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fileValue;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new SpecException(name, "must be a whole number, got \"" + value.strip() + "\"");
        }
    }

    /**
     * {@code settings} with {@code value} applied by {@code with}, or unchanged when the value is not set.
     *
     * @throws SpecException naming {@code field} when the settings refuse the value
     */
    static <S> S set(S settings, String field, Long value, BiFunction<S, Long, S> with) {
        if (value == null) {
            return settings;
        }
        try {
            return with.apply(settings, value);
        } catch (IllegalArgumentException e) {
            throw new SpecException(field, e.getMessage());
        }
    }

    static int toInt(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be at most " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }
}
