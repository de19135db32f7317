package com.streamloom.control.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * A JSON body that cannot be read becomes a 400 that names the field and says what it must be, in the words the
 * spec validation uses ({@code name: must be a string}), without echoing the input or Jackson's internals.
 */
final class JsonProblems {
    private JsonProblems() {
    }

    static Response of(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            return ProblemMapper.problem(400, field + ": " + reason(m), field);
        }
        String what = e instanceof JsonParseException ? "malformed JSON" : "unreadable JSON";
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            what = "the body " + expected(m.getTargetType());
        }
        var loc = e.getLocation();
        return ProblemMapper.problem(400, loc == null || loc.getLineNr() < 1 ? what
                : what + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr(), null);
    }

    /** {@code stages[2].params} from Jackson's reference chain. */
    static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String reason(JsonMappingException m) {
        if (m instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return known == null || known.isEmpty() ? "is not a known field"
                    : "is not a known field; known here: " + new TreeSet<>(known.stream().map(String::valueOf).toList());
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return expected(mi.getTargetType());
        }
        return "has the wrong type";
    }

    /** What a value of {@code type} looks like in JSON. */
    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "must be a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type.isEnum()) {
            return "must be one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "must be an object";
        }
        return "has the wrong type";
    }
}
