package com.streamloom.media.rtmp;

/**
 * Thrown by a {@link PublishHandler} to refuse a publish. The description is sent to the publisher in an
 * {@code onStatus} error and logged, so it must not contain the key.
 */
public final class PublishRejectedException extends Exception {
    /** The NetStream status code for a refused name (wrong key, stream already live). */
    public static final String BAD_NAME = "NetStream.Publish.BadName";
    /** The NetStream status code for a publish the server could not decide now (its key authority is down). */
    public static final String FAILED = "NetStream.Publish.Failed";

    private final String statusCode;

    public PublishRejectedException(String description) {
        this(BAD_NAME, description);
    }

    public PublishRejectedException(String statusCode, String description) {
        super(description);
        this.statusCode = statusCode;
    }

    /** A refusal because the decision could not be made (timeout, authority unreachable): fail closed. */
    public static PublishRejectedException unavailable(String description) {
        return new PublishRejectedException(FAILED, description);
    }

    public String statusCode() {
        return statusCode;
    }

    /** Whether the key itself was refused, as opposed to the server being unable to decide. */
    public boolean keyRefused() {
        return BAD_NAME.equals(statusCode);
    }
}
