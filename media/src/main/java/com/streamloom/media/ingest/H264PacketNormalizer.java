package com.streamloom.media.ingest;

import com.streamloom.media.codec.H264Bitstream;
import com.streamloom.media.codec.H264Bitstream.AvcConfig;
import com.streamloom.media.packet.MediaPacket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the H.264 packets of one demuxed stream into MediaPacket's convention: 4-byte AVCC lengths, parameter sets
 * in an avcC config packet that precedes the first picture and is sent again whenever an SPS or PPS changes, and
 * nothing before the first keyframe (a decoder cannot start on a P frame).
 *
 * <p>Sources differ: RTSP (RFC 6184 depacketised by FFmpeg) gives Annex B with the parameter sets from the SDP's
 * sprop-parameter-sets in extradata and often again in-band; RTMP/FLV gives AVCC with an avcC record in extradata,
 * whose NAL length size may be 1, 2 or 4. In-band SPS/PPS are taken out of the pictures because the config packet
 * carries them. One instance per connection: a reconnect starts a fresh one so the config is sent again.
 */
final class H264PacketNormalizer {
    private final Map<Integer, byte[]> spsById = new LinkedHashMap<>();
    private final Map<Integer, byte[]> ppsById = new LinkedHashMap<>();
    /** 0 for Annex B input, else the NAL length size of AVCC input. */
    private int lengthSize;
    private byte[] emittedConfig;
    private boolean keyframeSeen;
    private long dropped;

    H264PacketNormalizer(byte[] extradata) {
        updateExtradata(extradata);
    }

    /** New codec extradata (from the stream or from AV_PKT_DATA_NEW_EXTRADATA side data). */
    void updateExtradata(byte[] extradata) {
        if (extradata == null || extradata.length == 0) {
            return;
        }
        if (extradata[0] == 1) {
            AvcConfig config = AvcConfig.parse(extradata);
            lengthSize = config.nalLengthSize();
            config.sps().forEach(this::rememberParameterSet);
            config.pps().forEach(this::rememberParameterSet);
        } else {
            lengthSize = 0;
            H264Bitstream.splitAnnexB(extradata).forEach(this::rememberParameterSet);
        }
    }

    /** Packets dropped so far while waiting for parameter sets or a keyframe. */
    long dropped() {
        return dropped;
    }

    /**
     * Converts one access unit; returns zero, one or two packets (a config packet first when the parameter sets are
     * new or changed). Malformed framing raises IllegalArgumentException; the caller skips that packet.
     */
    List<MediaPacket> normalize(byte[] data, long ptsMicros, long dtsMicros, boolean keyFlag) {
        List<byte[]> nals = lengthSize == 0
                ? H264Bitstream.splitAnnexB(data)
                : H264Bitstream.splitLengthPrefixed(data, lengthSize);
        List<byte[]> picture = new ArrayList<>(nals.size());
        boolean idr = false;
        for (byte[] nal : nals) {
            int type = H264Bitstream.nalType(nal);
            if (type == H264Bitstream.NAL_SPS || type == H264Bitstream.NAL_PPS) {
                rememberParameterSet(nal);
            } else {
                idr |= type == H264Bitstream.NAL_IDR;
                picture.add(nal);
            }
        }
        List<MediaPacket> out = new ArrayList<>(2);
        if (!spsById.isEmpty() && !ppsById.isEmpty()) {
            byte[] config = new AvcConfig(List.copyOf(spsById.values()), List.copyOf(ppsById.values()), 4).toBytes();
            if (!Arrays.equals(config, emittedConfig)) {
                emittedConfig = config;
                out.add(MediaPacket.videoConfig(MediaPacket.Codec.H264, dtsMicros, config));
            }
        }
        boolean keyframe = idr || keyFlag;
        if (picture.isEmpty()) {
            return out;
        }
        if (emittedConfig == null || !(keyframeSeen || keyframe)) {
            dropped++;
            return out;
        }
        keyframeSeen = true;
        out.add(new MediaPacket(MediaPacket.Track.VIDEO, MediaPacket.Codec.H264, ptsMicros, dtsMicros, keyframe,
                false, H264Bitstream.joinAvcc(picture)));
        return out;
    }

    private void rememberParameterSet(byte[] nal) {
        int type = H264Bitstream.nalType(nal);
        if (type == H264Bitstream.NAL_SPS) {
            spsById.put(H264Bitstream.spsId(nal), nal);
        } else if (type == H264Bitstream.NAL_PPS) {
            ppsById.put(H264Bitstream.ppsId(nal), nal);
        }
    }
}
