package com.streamloom.control.api;

/**
 * A request the API refuses, with the HTTP status and, for validation errors, the JSON path of the field at fault.
 * {@link ProblemMapper} turns it into {@code {"status":..,"error":..,"field":..}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, field + ": " + message, field);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "no " + what + " with id " + id, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message, null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
