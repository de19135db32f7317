package com.streamloom.media.rtmp;

/** RTMP message type ids (RTMP spec 5.4 protocol control, 6.2 user control, 7.1 RTMP messages). */
public enum RtmpMessageType {
    SET_CHUNK_SIZE(1),
    ABORT(2),
    ACKNOWLEDGEMENT(3),
    USER_CONTROL(4),
    WINDOW_ACK_SIZE(5),
    SET_PEER_BANDWIDTH(6),
    AUDIO(8),
    VIDEO(9),
    DATA_AMF3(15),
    SHARED_OBJECT_AMF3(16),
    COMMAND_AMF3(17),
    DATA_AMF0(18),
    SHARED_OBJECT_AMF0(19),
    COMMAND_AMF0(20),
    AGGREGATE(22);

    private static final RtmpMessageType[] BY_ID = new RtmpMessageType[256];

    static {
        for (RtmpMessageType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;

    RtmpMessageType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The type with this id, or null for an id RTMP does not define. */
    public static RtmpMessageType of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
