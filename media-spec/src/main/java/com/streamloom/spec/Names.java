package com.streamloom.spec;

import java.util.regex.Pattern;

/** Rules for names that end up in URLs and file paths (stream and composition names). */
public final class Names {
    /** Letters, digits, '-' and '_', 1 to 64 characters, starting with a letter or digit: never '..' or '/'. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Names() {
    }

    public static String check(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new SpecException(field, "is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw new SpecException(field, "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        return name;
    }
}
