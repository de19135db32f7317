package com.streamloom.media.ingest;

import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_NEW_EXTRADATA;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_get_side_data;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

/**
 * Turns one session's libavformat packets into {@link MediaPacket}s: the first H.264 stream becomes AVCC with avcC
 * config packets ({@link H264PacketNormalizer}), the first AAC stream with an AudioSpecificConfig raw AAC with config
 * packets; other streams are discarded at the demuxer. Timestamps go through the pull's {@link SessionTimeline}.
 * One per session, on the pull's thread.
 */
final class PacketConverter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacketConverter.class);

    private final String name;
    private final SessionTimeline timeline;
    private final Map<Integer, Track> tracks = new HashMap<>();
    /** Out-parameter of av_packet_get_side_data, allocated once per session rather than per packet. */
    private final SizeTPointer sideDataSize = new SizeTPointer(1);

    PacketConverter(String name, SessionTimeline timeline) {
        this.name = name;
        this.timeline = timeline;
    }

    /** Chooses the tracks of a freshly probed input. */
    void selectTracks(AVFormatContext ctx) throws PullFailure {
        for (int i = 0; i < ctx.nb_streams(); i++) {
            trackFor(ctx, i);
        }
    }

    /** Converts one read packet; the MediaPackets it yields go to {@code out}. */
    void convert(AVFormatContext ctx, AVPacket pkt, Consumer<MediaPacket> out) throws PullFailure {
        Track track = trackFor(ctx, pkt.stream_index());
        if (track == Track.IGNORED || pkt.size() <= 0) {
            return;
        }
        byte[] newExtradata = newExtradata(pkt);
        long[] times = timeline.map(track.slot, toMicros(pkt.pts(), track), toMicros(pkt.dts(), track));
        byte[] data = new byte[pkt.size()];
        pkt.data().get(data);
        if (track.video != null) {
            try {
                if (newExtradata != null) {
                    track.video.updateExtradata(newExtradata);
                }
                List<MediaPacket> packets = track.video.normalize(data, times[0], times[1],
                        (pkt.flags() & AV_PKT_FLAG_KEY) != 0);
                packets.forEach(out);
            } catch (IllegalArgumentException e) {
                LOG.debug("pull {}: skipping malformed H.264 packet: {}", name, e.getMessage());
            }
            return;
        }
        if (newExtradata != null) {
            track.audioConfig = newExtradata;
            track.audioConfigSent = false;
        }
        if (!track.audioConfigSent) {
            out.accept(MediaPacket.audioConfig(times[1], track.audioConfig));
            track.audioConfigSent = true;
        }
        out.accept(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, times[0], times[1], true, false,
                data));
    }

    private Track trackFor(AVFormatContext ctx, int index) throws PullFailure {
        Track existing = tracks.get(index);
        if (existing != null) {
            return existing;
        }
        AVStream st = ctx.streams(index);
        AVCodecParameters par = st.codecpar();
        Track track = null;
        String codecName = avcodec_get_name(par.codec_id()).getString();
        boolean haveVideo = tracks.values().stream().anyMatch(t -> t.slot == 0);
        boolean haveAudio = tracks.values().stream().anyMatch(t -> t.slot == 1);
        if (par.codec_type() == AVMEDIA_TYPE_VIDEO && !haveVideo) {
            if (par.codec_id() != AV_CODEC_ID_H264) {
                throw new PullFailure("video codec " + codecName + " is not supported (H.264 only)");
            }
            track = new Track(0, st.time_base(), new H264PacketNormalizer(extradata(par)), null);
        } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && !haveAudio) {
            if (par.codec_id() == AV_CODEC_ID_AAC && par.extradata_size() > 0) {
                track = new Track(1, st.time_base(), null, extradata(par));
            } else {
                LOG.warn("pull {}: ignoring audio {} (AAC with AudioSpecificConfig only)", name, codecName);
            }
        }
        if (track == null) {
            st.discard(AVDISCARD_ALL);
            track = Track.IGNORED;
        }
        tracks.put(index, track);
        return track;
    }

    private static byte[] extradata(AVCodecParameters par) {
        int size = par.extradata_size();
        if (size <= 0 || par.extradata() == null) {
            return null;
        }
        byte[] b = new byte[size];
        par.extradata().get(b);
        return b;
    }

    /** Codec configuration that changed mid-stream (FLV sends a new AVC sequence header, for example). */
    private byte[] newExtradata(AVPacket pkt) {
        BytePointer side = av_packet_get_side_data(pkt, AV_PKT_DATA_NEW_EXTRADATA, sideDataSize);
        if (side == null || side.isNull() || sideDataSize.get() <= 0) {
            return null;
        }
        byte[] b = new byte[(int) sideDataSize.get()];
        side.get(b);
        return b;
    }

    private static long toMicros(long ts, Track track) {
        return ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
                : av_rescale(ts, track.timeBaseNum * 1_000_000L, track.timeBaseDen);
    }

    @Override
    public void close() {
        sideDataSize.close();
    }

    /** A selected stream of the session: slot 0 video, 1 audio. */
    private static final class Track {
        static final Track IGNORED = new Track(-1, null, null, null);
        final int slot;
        final int timeBaseNum;
        final int timeBaseDen;
        final H264PacketNormalizer video;
        byte[] audioConfig;
        boolean audioConfigSent;

        Track(int slot, AVRational timeBase, H264PacketNormalizer video, byte[] audioConfig) {
            this.slot = slot;
            this.timeBaseNum = timeBase == null ? 0 : timeBase.num();
            this.timeBaseDen = timeBase == null ? 1 : timeBase.den();
            this.video = video;
            this.audioConfig = audioConfig;
        }
    }
}
