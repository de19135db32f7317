package com.streamloom.spec;

import java.util.List;

/**
 * One parameter of a stage type: its name, kind, default and allowed range or values. The catalog of these drives
 * validation (on the control API and on nodes alike), the dashboard's pipeline editor and the docs.
 */
public record ParamDef(String name, ParamType type, Object defaultValue, Double min, Double max, List<String> values,
                       int maxLength, String description) {

    public static ParamDef integer(String name, int def, int min, int max, String description) {
        return new ParamDef(name, ParamType.INT, def, (double) min, (double) max, List.of(), 0, description);
    }

    /** A whole number that must be one of {@code allowed} (listed in {@link #values()} for editors and docs). */
    public static ParamDef integerOf(String name, int def, List<Integer> allowed, String description) {
        List<String> shown = allowed.stream().map(String::valueOf).toList();
        return new ParamDef(name, ParamType.INT, def, (double) allowed.stream().mapToInt(i -> i).min().orElseThrow(),
                (double) allowed.stream().mapToInt(i -> i).max().orElseThrow(), shown, 0, description);
    }

    public static ParamDef decimal(String name, double def, double min, double max, String description) {
        return new ParamDef(name, ParamType.DOUBLE, def, min, max, List.of(), 0, description);
    }

    public static ParamDef bool(String name, boolean def, String description) {
        return new ParamDef(name, ParamType.BOOLEAN, def, null, null, List.of(), 0, description);
    }

    public static ParamDef string(String name, String def, int maxLength, String description) {
        return new ParamDef(name, ParamType.STRING, def, null, null, List.of(), maxLength, description);
    }

    public static ParamDef oneOf(String name, String def, List<String> values, String description) {
        return new ParamDef(name, ParamType.ENUM, def, null, null, List.copyOf(values), 0, description);
    }

    /** Checks and normalises one value (numbers to Integer/Double); throws naming {@code path}. */
    Object check(String path, Object value) {
        switch (type) {
            case INT -> {
                if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new SpecException(path, "must be a whole number");
                }
                if (!values.isEmpty() && !values.contains(String.valueOf(n.longValue()))) {
                    throw new SpecException(path, "must be " + oneOfText());
                }
                checkRange(path, n.doubleValue());
                return n.intValue();
            }
            case DOUBLE -> {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new SpecException(path, "must be a number");
                }
                checkRange(path, n.doubleValue());
                return n.doubleValue();
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    throw new SpecException(path, "must be true or false");
                }
                return value;
            }
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw new SpecException(path, "must be a string");
                }
                if (s.length() > maxLength) {
                    throw new SpecException(path, "must be at most " + maxLength + " characters");
                }
                return s;
            }
            case ENUM -> {
                if (!(value instanceof String s) || !values.contains(s)) {
                    throw new SpecException(path, "must be one of " + values);
                }
                return s;
            }
            default -> throw new IllegalStateException();
        }
    }

    /** "90, 180 or 270". */
    private String oneOfText() {
        return values.size() == 1 ? values.get(0)
                : String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.get(values.size() - 1);
    }

    private void checkRange(String path, double v) {
        if ((min != null && v < min) || (max != null && v > max)) {
            throw new SpecException(path, "must be between " + fmt(min) + " and " + fmt(max));
        }
    }

    private static String fmt(Double d) {
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
    }
}
