package com.streamloom.media.ingest;

/** A pull session failed; its message, in words, becomes the pull's status error. */
final class PullFailure extends Exception {
    PullFailure(String message) {
        super(message, null, false, false);
    }
}
