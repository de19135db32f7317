package com.streamloom.media.packet;

/**
 * One compressed access unit (or codec configuration) moving between ingest, decoder, encoder, HLS packager and
 * RTMP forwarder. Plain heap bytes: packets are small (a few KB to a few hundred KB) and this keeps ownership
 * trivial across threads; decoded pictures, which are large, stay native in {@code VideoFrame}.
 *
 * <p>Payload conventions, the same as FLV and MP4 so RTMP needs no conversion:
 * <ul>
 *   <li>H.264/HEVC video: length-prefixed NAL units (4-byte big-endian lengths, "AVCC"). A {@code config} packet
 *       holds the AVCDecoderConfigurationRecord (ISO 14496-15 5.2.4.1) / HEVCDecoderConfigurationRecord.</li>
 *   <li>AAC audio: raw access units without ADTS. A {@code config} packet holds the AudioSpecificConfig
 *       (ISO 14496-3 1.6.2.1).</li>
 * </ul>
 * Timestamps are microseconds on the stream's own clock (RTMP's milliseconds and RTP's 90 kHz both fit).
 *
 * @param track     video or audio
 * @param codec     H264, HEVC or AAC
 * @param ptsMicros presentation time
 * @param dtsMicros decode time (equal to pts for audio and for video without B-frames)
 * @param keyframe  an IDR / random access point (always true for audio)
 * @param config    the payload is codec configuration, not media
 * @param data      the payload; never modified after construction
 */
public record MediaPacket(Track track, Codec codec, long ptsMicros, long dtsMicros, boolean keyframe, boolean config,
                          byte[] data) {

    public enum Track { VIDEO, AUDIO }

    public enum Codec { H264, HEVC, AAC }

    public static MediaPacket videoConfig(Codec codec, long dtsMicros, byte[] record) {
        return new MediaPacket(Track.VIDEO, codec, dtsMicros, dtsMicros, true, true, record);
    }

    public static MediaPacket audioConfig(long dtsMicros, byte[] audioSpecificConfig) {
        return new MediaPacket(Track.AUDIO, Codec.AAC, dtsMicros, dtsMicros, true, true, audioSpecificConfig);
    }

    public boolean isVideo() {
        return track == Track.VIDEO;
    }

    public boolean isAudio() {
        return track == Track.AUDIO;
    }

    public MediaPacket withTimes(long newPtsMicros, long newDtsMicros) {
        return new MediaPacket(track, codec, newPtsMicros, newDtsMicros, keyframe, config, data);
    }

    @Override
    public String toString() {
        return track + "/" + codec + (config ? " config" : "") + (keyframe && isVideo() ? " key" : "")
                + " pts=" + ptsMicros + " dts=" + dtsMicros + " bytes=" + data.length;
    }
}
