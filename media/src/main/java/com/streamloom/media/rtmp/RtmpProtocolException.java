package com.streamloom.media.rtmp;

import io.netty.handler.codec.DecoderException;

/**
 * The peer broke the RTMP, chunk stream or AMF0 rules, or exceeded one of our limits. The connection that caused
 * it is closed; other connections are unaffected. Extends {@link DecoderException} so Netty's decoders pass it on
 * unwrapped.
 */
public final class RtmpProtocolException extends DecoderException {
    private final transient RtmpLimit limit;

    public RtmpProtocolException(String message) {
        this(message, null);
    }

    /** A break of a server-wide limit, which is counted by its reason. */
    public RtmpProtocolException(String message, RtmpLimit limit) {
        super(message);
        this.limit = limit;
    }

    /** The counted limit that was broken, or null for any other rule. */
    public RtmpLimit limit() {
        return limit;
    }
}
