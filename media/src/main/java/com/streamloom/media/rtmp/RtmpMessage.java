package com.streamloom.media.rtmp;

import java.util.Arrays;

/**
 * One complete RTMP message, reassembled from its chunks (RTMP spec 6.1). The payload is plain heap bytes, like
 * {@code MediaPacket}'s: messages are bounded by {@link RtmpSettings#maxMessageBytes()} and this keeps ownership
 * trivial. The payload array is never modified after construction.
 *
 * @param chunkStreamId   the chunk stream it travelled on (2 to 65599)
 * @param typeId          the message type id, see {@link RtmpMessageType}
 * @param timestamp       the 32-bit RTMP timestamp in milliseconds (unsigned, it wraps after ~49.7 days)
 * @param messageStreamId the message stream (0 for the connection, else an id from createStream)
 * @param payload         the message body
 */
public record RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {

    /** Chunk stream for protocol control messages (RTMP spec 5.4). */
    public static final int CONTROL_CHUNK_STREAM = 2;
    /** Chunk streams we use for commands, stream commands, audio and video (the ids ffmpeg and OBS use too). */
    public static final int COMMAND_CHUNK_STREAM = 3;
    public static final int AUDIO_CHUNK_STREAM = 4;
    public static final int STREAM_COMMAND_CHUNK_STREAM = 5;
    public static final int VIDEO_CHUNK_STREAM = 6;

    public RtmpMessage {
        if (chunkStreamId < 2 || chunkStreamId > 65599) {
            throw new IllegalArgumentException("chunk stream id must be 2..65599, got " + chunkStreamId);
        }
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("message type id must be 0..255, got " + typeId);
        }
        timestamp &= 0xFFFFFFFFL;
    }

    public RtmpMessageType type() {
        return RtmpMessageType.of(typeId);
    }

    public static RtmpMessage of(int chunkStreamId, RtmpMessageType type, long timestamp, int messageStreamId,
                                 byte[] payload) {
        return new RtmpMessage(chunkStreamId, type.id(), timestamp, messageStreamId, payload);
    }

    /** Set Chunk Size (spec 5.4.1): 31-bit size, first bit zero. */
    public static RtmpMessage setChunkSize(int size) {
        return control(RtmpMessageType.SET_CHUNK_SIZE, int32(size & 0x7FFFFFFF));
    }

    /** Acknowledgement (spec 5.4.3): the bytes received so far, modulo 2^32. */
    public static RtmpMessage acknowledgement(long bytesReceived) {
        return control(RtmpMessageType.ACKNOWLEDGEMENT, int32((int) bytesReceived));
    }

    /** Window Acknowledgement Size (spec 5.4.4). */
    public static RtmpMessage windowAckSize(int size) {
        return control(RtmpMessageType.WINDOW_ACK_SIZE, int32(size));
    }

    /** Set Peer Bandwidth (spec 5.4.5); limit type 0 hard, 1 soft, 2 dynamic. */
    public static RtmpMessage setPeerBandwidth(int size, int limitType) {
        byte[] p = Arrays.copyOf(int32(size), 5);
        p[4] = (byte) limitType;
        return control(RtmpMessageType.SET_PEER_BANDWIDTH, p);
    }

    /** A user control event (spec 7.1.7) with one 32-bit argument (a stream id or a ping timestamp). */
    public static RtmpMessage userControl(UserControlEvent event, int argument) {
        byte[] p = new byte[6];
        p[0] = (byte) (event.id() >> 8);
        p[1] = (byte) event.id();
        System.arraycopy(int32(argument), 0, p, 2, 4);
        return control(RtmpMessageType.USER_CONTROL, p);
    }

    /** An AMF0 command message (spec 7.1.1) on the given chunk and message stream. */
    public static RtmpMessage command(int chunkStreamId, int messageStreamId, Object... values) {
        return of(chunkStreamId, RtmpMessageType.COMMAND_AMF0, 0, messageStreamId, Amf0Writer.encode(values));
    }

    private static RtmpMessage control(RtmpMessageType type, byte[] payload) {
        return of(CONTROL_CHUNK_STREAM, type, 0, 0, payload);
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtmpMessage m && m.chunkStreamId == chunkStreamId && m.typeId == typeId
                && m.timestamp == timestamp && m.messageStreamId == messageStreamId
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((chunkStreamId * 31 + typeId) * 31 + Long.hashCode(timestamp)) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        RtmpMessageType t = type();
        return "RtmpMessage[" + (t == null ? "type " + typeId : t) + " csid=" + chunkStreamId + " ts=" + timestamp
                + " msid=" + messageStreamId + " bytes=" + payload.length + "]";
    }
}
