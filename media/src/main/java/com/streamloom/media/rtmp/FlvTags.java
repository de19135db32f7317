package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaPacket.Codec;
import com.streamloom.media.packet.MediaPacket.Track;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Converts between RTMP audio/video message bodies (FLV tag bodies: FLV spec v10.1 E.4.2.1 AUDIODATA and E.4.3.1
 * VIDEODATA, plus Enhanced RTMP v1 ExVideoTagHeader) and {@link MediaPacket}s. The payloads are the same on both
 * sides (AVCC NAL units, avcC/hvcC records, raw AAC, AudioSpecificConfig), so only the few header bytes change.
 */
public final class FlvTags {
    /** FLV SoundFormat 10 = AAC. */
    static final int SOUND_FORMAT_AAC = 10;
    /** FLV CodecID 7 = AVC; 12 is the widespread (non-Adobe) legacy HEVC id, accepted on input only. */
    static final int CODEC_AVC = 7;
    static final int CODEC_HEVC_LEGACY = 12;
    /** Enhanced RTMP FourCCs. */
    static final int FOURCC_HVC1 = fourCc("hvc1");
    static final int FOURCC_AVC1 = fourCc("avc1");
    /** Enhanced RTMP PacketType values. */
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_CODED_FRAMES = 1;
    private static final int EX_SEQUENCE_END = 2;
    private static final int EX_CODED_FRAMES_X = 3;
    /** FLV FrameType 5 is a video info/command frame that carries no picture. */
    private static final int FRAME_TYPE_COMMAND = 5;

    private FlvTags() {
    }

    /**
     * The packet in an audio message body, or null if it holds no AAC (another codec, which we do not carry).
     *
     * @throws RtmpProtocolException if the body is too short for its header
     */
    public static MediaPacket audioPacket(byte[] body, long dtsMicros) {
        if (body.length < 1) {
            return null;
        }
        if ((body[0] & 0xFF) >> 4 != SOUND_FORMAT_AAC) {
            return null;
        }
        if (body.length < 2) {
            throw new RtmpProtocolException("AAC audio message without AACPacketType");
        }
        byte[] data = Arrays.copyOfRange(body, 2, body.length);
        // AACPacketType 0 = AudioSpecificConfig, 1 = raw AAC frame.
        return body[1] == 0 ? MediaPacket.audioConfig(dtsMicros, data)
                : new MediaPacket(Track.AUDIO, Codec.AAC, dtsMicros, dtsMicros, true, false, data);
    }

    /** The codec an audio message body uses, as FLV's SoundFormat number (for a one-time "not carried" log). */
    public static int soundFormat(byte[] body) {
        return body.length == 0 ? -1 : (body[0] & 0xFF) >> 4;
    }

    /**
     * The packet in a video message body, or null for bodies that carry no picture or configuration (sequence end,
     * command frames, metadata, codecs other than H.264/HEVC).
     *
     * @throws RtmpProtocolException if the body is too short for its header
     */
    public static MediaPacket videoPacket(byte[] body, long dtsMicros) {
        if (body.length < 1) {
            return null;
        }
        int b0 = body[0] & 0xFF;
        boolean enhanced = (b0 & 0x80) != 0;
        int frameType = (b0 >> 4) & 0x07;
        if (frameType == FRAME_TYPE_COMMAND) {
            return null;
        }
        boolean keyframe = frameType == 1;
        Codec codec;
        int packetType;
        int offset;
        boolean hasCompositionTime;
        if (enhanced) {
            // Enhanced RTMP: [IsExHeader|FrameType(3)|PacketType(4)] FourCC [SI24 composition time] data
            need(body, 5, "enhanced video header");
            int fourCc = ((body[1] & 0xFF) << 24) | ((body[2] & 0xFF) << 16) | ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
            codec = fourCc == FOURCC_HVC1 ? Codec.HEVC : fourCc == FOURCC_AVC1 ? Codec.H264 : null;
            int exType = b0 & 0x0F;
            if (codec == null || (exType != EX_SEQUENCE_START && exType != EX_CODED_FRAMES
                    && exType != EX_CODED_FRAMES_X)) {
                return null;
            }
            packetType = exType == EX_SEQUENCE_START ? 0 : 1;
            hasCompositionTime = exType == EX_CODED_FRAMES;
            offset = 5;
        } else {
            int codecId = b0 & 0x0F;
            codec = codecId == CODEC_AVC ? Codec.H264 : codecId == CODEC_HEVC_LEGACY ? Codec.HEVC : null;
            if (codec == null) {
                return null;
            }
            // Legacy: [FrameType(4)|CodecID(4)] AVCPacketType SI24 composition time, data
            need(body, 5, "AVC video header");
            packetType = body[1] & 0xFF;
            if (packetType != 0 && packetType != 1) {
                return null;
            }
            hasCompositionTime = true;
            offset = 2;
        }
        long compositionMillis = 0;
        if (hasCompositionTime) {
            need(body, offset + 3, "composition time");
            int cto = ((body[offset] & 0xFF) << 16) | ((body[offset + 1] & 0xFF) << 8) | (body[offset + 2] & 0xFF);
            compositionMillis = (cto << 8) >> 8; // sign-extend the 24-bit value
            offset += 3;
        }
        byte[] data = Arrays.copyOfRange(body, offset, body.length);
        if (packetType == 0) {
            return MediaPacket.videoConfig(codec, dtsMicros, data);
        }
        return new MediaPacket(Track.VIDEO, codec, dtsMicros + compositionMillis * 1000, dtsMicros, keyframe, false,
                data);
    }

    /** The RTMP message type and body that carry this packet: H.264 as classic FLV, HEVC as Enhanced RTMP. */
    public static byte[] tagBody(MediaPacket packet) {
        byte[] data = packet.data();
        if (packet.isAudio()) {
            byte[] body = new byte[2 + data.length];
            // FLV E.4.2.1: AAC is always signalled as 44 kHz, 16 bit, stereo; the real values are in the config.
            body[0] = (byte) 0xAF;
            body[1] = (byte) (packet.config() ? 0 : 1);
            System.arraycopy(data, 0, body, 2, data.length);
            return body;
        }
        int frameType = packet.keyframe() ? 1 : 2;
        int cto = (int) Math.floorDiv(packet.ptsMicros() - packet.dtsMicros(), 1000L);
        if (packet.codec() == Codec.H264) {
            byte[] body = new byte[5 + data.length];
            body[0] = (byte) ((frameType << 4) | CODEC_AVC);
            body[1] = (byte) (packet.config() ? 0 : 1);
            writeSi24(body, 2, packet.config() ? 0 : cto);
            System.arraycopy(data, 0, body, 5, data.length);
            return body;
        }
        int header = packet.config() ? 5 : 8;
        byte[] body = new byte[header + data.length];
        body[0] = (byte) (0x80 | (frameType << 4) | (packet.config() ? EX_SEQUENCE_START : EX_CODED_FRAMES));
        body[1] = (byte) (FOURCC_HVC1 >>> 24);
        body[2] = (byte) (FOURCC_HVC1 >>> 16);
        body[3] = (byte) (FOURCC_HVC1 >>> 8);
        body[4] = (byte) FOURCC_HVC1;
        if (!packet.config()) {
            writeSi24(body, 5, cto);
        }
        System.arraycopy(data, 0, body, header, data.length);
        return body;
    }

    private static void writeSi24(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >> 16);
        b[offset + 1] = (byte) (value >> 8);
        b[offset + 2] = (byte) value;
    }

    private static void need(byte[] body, int length, String what) {
        if (body.length < length) {
            throw new RtmpProtocolException("video message of " + body.length + " bytes is too short for its " + what);
        }
    }

    private static int fourCc(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /**
     * A metadata codec id as people know it: the FLV numbers (video 7 AVC, 12 HEVC; audio 2 MP3, 10 AAC) or, from
     * enhanced-RTMP encoders (FFmpeg 8, OBS 30), a FourCC such as {@code hvc1} that AMF0 carries as a number.
     */
    public static String codecName(Object id, boolean video) {
        if (!(id instanceof Number n)) {
            return String.valueOf(id);
        }
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < 0 || d > 0xFFFF_FFFFL) {
            return String.valueOf(id);
        }
        long v = (long) d;
        if (v < 256) {
            String name = video
                    ? switch ((int) v) { case 2 -> "h263"; case 4 -> "vp6"; case 7 -> "avc"; case 12 -> "hevc"; default -> null; }
                    : switch ((int) v) { case 2 -> "mp3"; case 10 -> "aac"; case 11 -> "speex"; default -> null; };
            return name == null ? Long.toString(v) : name;
        }
        StringBuilder fourCc = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (int) (v >>> shift) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return Long.toString(v);
            }
            fourCc.append((char) c);
        }
        return fourCc.toString();
    }

}
