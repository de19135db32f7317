package com.streamloom.media.rtmp;

/**
 * Thrown by a publish sink's {@code accept} when the node no longer wants this publication: the stream was deleted,
 * moved, or another publisher took it over. The session answers with an {@code onStatus} error
 * ({@code NetStream.Publish.BadName}) carrying the message, and closes the connection.
 */
public final class PublicationClosedException extends RuntimeException {
    public PublicationClosedException(String message) {
        super(message, null, false, false);
    }
}
