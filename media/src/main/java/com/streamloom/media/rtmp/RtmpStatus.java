package com.streamloom.media.rtmp;

import java.util.LinkedHashMap;
import java.util.Map;

/** The info object of a NetConnection or NetStream status (RTMP spec 7.2): level, code, description. */
final class RtmpStatus {
    private RtmpStatus() {
    }

    static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    /** An error {@code onStatus} on the connection's stream 0, for a close the peer did not ask for. */
    static RtmpMessage connectionClosed(String description) {
        return RtmpMessage.command(RtmpMessage.COMMAND_CHUNK_STREAM, 0, "onStatus", 0.0, null,
                status("error", "NetConnection.Connect.Closed", description));
    }
}
