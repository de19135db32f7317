package com.streamloom.media.rtmp;

import io.netty.handler.codec.DecoderException;

/**
 * The peer broke the RTMP, chunk stream or AMF0 rules, or exceeded one of our limits. The connection that caused
 * it is closed; other connections are unaffected. Extends {@link DecoderException} so Netty's decoders pass it on
 * unwrapped.
 */
public final class RtmpProtocolException extends DecoderException {
    public RtmpProtocolException(String message) {
        super(message);
    }
}
