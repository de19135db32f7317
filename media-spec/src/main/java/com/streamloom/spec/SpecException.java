package com.streamloom.spec;

/** A spec that breaks a rule; {@link #field()} is the JSON path of the offending field, e.g. {@code stages[2].kernel}. */
public final class SpecException extends IllegalArgumentException {
    private final String field;

    public SpecException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
