package com.streamloom.media.codec;

/** An FFmpeg call failed; the message names the call and carries FFmpeg's own error text. */
public final class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }
}
