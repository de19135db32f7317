package com.streamloom.media.rtmp;

/** User control event types (RTMP spec 7.1.7). */
public enum UserControlEvent {
    STREAM_BEGIN(0),
    STREAM_EOF(1),
    STREAM_DRY(2),
    SET_BUFFER_LENGTH(3),
    STREAM_IS_RECORDED(4),
    PING_REQUEST(6),
    PING_RESPONSE(7);

    private final int id;

    UserControlEvent(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The event with this id, or null for an unknown one (ignored, as the spec lets us). */
    public static UserControlEvent of(int id) {
        for (UserControlEvent e : values()) {
            if (e.id == id) {
                return e;
            }
        }
        return null;
    }
}
