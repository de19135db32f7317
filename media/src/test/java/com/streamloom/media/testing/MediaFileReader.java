package com.streamloom.media.testing;

import com.streamloom.media.codec.CodecException;
import com.streamloom.media.packet.MediaPacket;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

/**
 * Reads an MP4 or FLV file (H.264/HEVC video, AAC audio) into {@link MediaPacket}s exactly as an RTMP publisher
 * would deliver them: config packets first (avcC / AudioSpecificConfig from the container), then AVCC and raw
 * AAC packets in file (decode) order with microsecond timestamps. The benchmark and the pipeline tests use it as
 * their source. Other codecs are refused with a clear error.
 */
public final class MediaFileReader {
    private static final AVRational MICROS = av_make_q(1, 1_000_000);

    private MediaFileReader() {
    }

    /**
     * Reads the file's packets, stopping after {@code maxVideoFrames} video packets (audio up to that time is
     * included); 0 reads everything.
     */
    public static List<MediaPacket> read(Path file, int maxVideoFrames) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        AVFormatContext fmt = avformat_alloc_context();
        int ret = avformat_open_input(fmt, file.toString(), null, null);
        if (ret < 0) {
            throw new CodecException("cannot open " + file + " (error " + ret + ")");
        }
        AVPacket pkt = av_packet_alloc();
        try {
            if (avformat_find_stream_info(fmt, (org.bytedeco.ffmpeg.avutil.AVDictionary) null) < 0) {
                throw new CodecException("cannot read stream info of " + file);
            }
            int videoIndex = -1;
            int audioIndex = -1;
            MediaPacket.Codec videoCodec = null;
            List<MediaPacket> out = new ArrayList<>();
            for (int i = 0; i < fmt.nb_streams(); i++) {
                AVCodecParameters par = fmt.streams(i).codecpar();
                if (par.codec_type() == AVMEDIA_TYPE_VIDEO && videoIndex < 0) {
                    videoCodec = switch (par.codec_id()) {
                        case AV_CODEC_ID_H264 -> MediaPacket.Codec.H264;
                        case AV_CODEC_ID_HEVC -> MediaPacket.Codec.HEVC;
                        default -> throw new CodecException(file + ": video codec " + par.codec_id()
                                + " is not H.264 or HEVC");
                    };
                    videoIndex = i;
                    out.add(MediaPacket.videoConfig(videoCodec, 0, extradata(par, file)));
                } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO && audioIndex < 0) {
                    if (par.codec_id() != AV_CODEC_ID_AAC) {
                        throw new CodecException(file + ": audio codec " + par.codec_id() + " is not AAC");
                    }
                    audioIndex = i;
                    out.add(MediaPacket.audioConfig(0, extradata(par, file)));
                }
            }
            int videoPackets = 0;
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    int s = pkt.stream_index();
                    if (s != videoIndex && s != audioIndex) {
                        continue;
                    }
                    AVStream st = fmt.streams(s);
                    long dts = pkt.dts() == AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    long pts = pkt.pts() == AV_NOPTS_VALUE ? dts : pkt.pts();
                    long ptsUs = av_rescale_q(pts, st.time_base(), MICROS);
                    long dtsUs = av_rescale_q(dts, st.time_base(), MICROS);
                    byte[] data = new byte[pkt.size()];
                    pkt.data().get(data);
                    if (s == videoIndex) {
                        if (maxVideoFrames > 0 && videoPackets >= maxVideoFrames) {
                            break;
                        }
                        videoPackets++;
                        out.add(new MediaPacket(MediaPacket.Track.VIDEO, videoCodec, ptsUs, dtsUs,
                                (pkt.flags() & AV_PKT_FLAG_KEY) != 0, false, data));
                    } else {
                        out.add(new MediaPacket(MediaPacket.Track.AUDIO, MediaPacket.Codec.AAC, ptsUs, dtsUs, true,
                                false, data));
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            return out;
        } finally {
            av_packet_free(pkt);
            avformat_close_input(fmt);
        }
    }

    private static byte[] extradata(AVCodecParameters par, Path file) {
        if (par.extradata_size() <= 0) {
            throw new CodecException(file + ": stream has no codec configuration (extradata)");
        }
        byte[] b = new byte[par.extradata_size()];
        par.extradata().get(b);
        return b;
    }
}
