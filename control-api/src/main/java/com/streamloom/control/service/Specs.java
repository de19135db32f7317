package com.streamloom.control.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.streamloom.control.api.ApiException;
import com.streamloom.spec.SpecException;

import java.util.function.Supplier;

/** Validation and storage form of specs, shared by streams and compositions. */
final class Specs {
    /** The spec column's size (V1__control_schema.sql). */
    static final int MAX_JSON_CHARS = 200_000;

    private Specs() {
    }

    /** Runs a spec's {@code validated()}; a broken rule becomes a 400 that names the field. */
    static <T> T validate(Object raw, Supplier<T> validated) {
        if (raw == null) {
            throw ApiException.badRequest("body", "a JSON spec is required");
        }
        try {
            return validated.get();
        } catch (SpecException e) {
            throw new ApiException(400, e.getMessage(), e.field());
        }
    }

    static String toJson(ObjectMapper json, Object spec) {
        try {
            String text = json.writeValueAsString(spec);
            if (text.length() > MAX_JSON_CHARS) {
                throw new ApiException(413, "spec is larger than " + MAX_JSON_CHARS + " characters", null);
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
