package com.streamloom.spec.subtitle;

/** A subtitle document that breaks its format or our limits; the message names the line (1-based) at fault. */
public final class SubtitleFormatException extends IllegalArgumentException {
    private final int line;

    public SubtitleFormatException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line number of the problem, or 0 when it concerns the whole document. */
    public int line() {
        return line;
    }
}
