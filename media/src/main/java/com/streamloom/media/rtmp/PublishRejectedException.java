package com.streamloom.media.rtmp;

/**
 * Thrown by a {@link PublishHandler} to refuse a publish. The description is sent to the publisher in an
 * {@code onStatus} error and logged, so it must not contain the key.
 */
public final class PublishRejectedException extends Exception {
    /** The NetStream status code for a refused name (wrong key, stream already live). */
    public static final String BAD_NAME = "NetStream.Publish.BadName";

    private final String statusCode;

    public PublishRejectedException(String description) {
        this(BAD_NAME, description);
    }

    public PublishRejectedException(String statusCode, String description) {
        super(description);
        this.statusCode = statusCode;
    }

    public String statusCode() {
        return statusCode;
    }
}
