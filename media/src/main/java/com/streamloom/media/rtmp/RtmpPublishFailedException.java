package com.streamloom.media.rtmp;

import java.io.IOException;

/** The server refused our connect or publish (its status code and description are in the message). */
public final class RtmpPublishFailedException extends IOException {
    public RtmpPublishFailedException(String message) {
        super(message);
    }
}
