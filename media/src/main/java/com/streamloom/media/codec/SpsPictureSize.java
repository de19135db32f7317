package com.streamloom.media.codec;

import com.streamloom.media.packet.MediaPacket;

import java.util.Arrays;

/**
 * Reads the picture size from a video configuration record's sequence parameter set (the avcC record of an RTMP
 * AVC sequence header, ISO/IEC 14496-15 5.3.3.1; the hvcC record of an HEVC one, 8.3.3.1), so a node can refuse a
 * picture larger than it allows before a decoder allocates anything for it.
 */
public final class SpsPictureSize {
    private static final int HEVC_NAL_SPS = 33;
    private static final int HVCC_HEADER_BYTES = 22;

    private SpsPictureSize() {
    }

    /**
     * The size the record's first SPS declares.
     *
     * @throws IllegalArgumentException when the record or its SPS cannot be read
     */
    public static PictureSize of(MediaPacket.Codec codec, byte[] record) {
        return switch (codec) {
            case H264 -> h264(H264Bitstream.AvcConfig.parse(record).sps().get(0));
            case HEVC -> hevc(firstHevcSps(record));
            default -> throw new IllegalArgumentException("not a video codec: " + codec);
        };
    }

    /**
     * The size the first SPS inside a length-prefixed access unit declares (an encoder may send a new SPS in-band,
     * without a new config record, and change its picture size with it), or null when the unit carries no SPS.
     *
     * @param nalLengthSize the config record's NAL length size ({@link #nalLengthSize})
     * @throws IllegalArgumentException when the unit's lengths or its SPS cannot be read
     */
    public static PictureSize inBand(MediaPacket.Codec codec, byte[] accessUnit, int nalLengthSize) {
        int pos = 0;
        while (pos < accessUnit.length) {
            if (pos + nalLengthSize > accessUnit.length) {
                throw new IllegalArgumentException("truncated NAL length at offset " + pos);
            }
            long len = 0;
            for (int k = 0; k < nalLengthSize; k++) {
                len = (len << 8) | (accessUnit[pos + k] & 0xFF);
            }
            pos += nalLengthSize;
            if (len > accessUnit.length - pos) {
                throw new IllegalArgumentException("NAL length " + len + " exceeds the access unit");
            }
            if (len > 0 && isSps(codec, accessUnit[pos])) {
                byte[] sps = Arrays.copyOfRange(accessUnit, pos, pos + (int) len);
                return codec == MediaPacket.Codec.HEVC ? hevc(sps) : h264(sps);
            }
            pos += (int) len;
        }
        return null;
    }

    private static boolean isSps(MediaPacket.Codec codec, byte header) {
        return switch (codec) {
            case H264 -> (header & 0x1F) == H264Bitstream.NAL_SPS;
            case HEVC -> ((header >> 1) & 0x3F) == HEVC_NAL_SPS;
            default -> throw new IllegalArgumentException("not a video codec: " + codec);
        };
    }

    /**
     * How many bytes precede each NAL unit of the stream the record configures: lengthSizeMinusOne + 1 of an avcC
     * record (ISO/IEC 14496-15 5.3.3.1.2) or an hvcC one (8.3.3.1.2, the low two bits of its 22nd byte).
     *
     * @throws IllegalArgumentException when the record cannot be read
     */
    public static int nalLengthSize(MediaPacket.Codec codec, byte[] record) {
        int size = switch (codec) {
            case H264 -> H264Bitstream.AvcConfig.parse(record).nalLengthSize();
            case HEVC -> {
                if (record.length < HVCC_HEADER_BYTES || record[0] != 1) {
                    throw new IllegalArgumentException("not an HEVCDecoderConfigurationRecord");
                }
                yield (record[HVCC_HEADER_BYTES - 1] & 0x03) + 1;
            }
            default -> throw new IllegalArgumentException("not a video codec: " + codec);
        };
        if (size == 3) {
            throw new IllegalArgumentException("lengthSizeMinusOne 2 is not allowed");
        }
        return size;
    }

    /** seq_parameter_set_data up to frame_cropping (H.264 7.3.2.1.1) and the size it implies (7.4.2.1.1). */
    static PictureSize h264(byte[] sps) {
        if (sps.length < 4 || H264Bitstream.nalType(sps) != H264Bitstream.NAL_SPS) {
            throw new IllegalArgumentException("not an SPS NAL unit");
        }
        byte[] rbsp = H264Bitstream.unescapeRbsp(sps);
        int profile = rbsp[1] & 0xFF;
        RbspReader r = new RbspReader(rbsp, 4);
        r.readUe(); // seq_parameter_set_id
        int chroma = 1;
        boolean separatePlanes = false;
        if (Arrays.stream(H264Bitstream.HIGH_PROFILES).anyMatch(p -> p == profile)) {
            chroma = r.readUe();
            if (chroma > 3) {
                throw new IllegalArgumentException("chroma_format_idc " + chroma + " out of range 0..3");
            }
            if (chroma == 3) {
                separatePlanes = r.readBit() == 1;
            }
            r.readUe(); // bit_depth_luma_minus8
            r.readUe(); // bit_depth_chroma_minus8
            r.readBit(); // qpprime_y_zero_transform_bypass_flag
            if (r.readBit() == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (r.readBit() == 1) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.readUe(); // log2_max_frame_num_minus4
        int pocType = r.readUe();
        if (pocType == 0) {
            r.readUe(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.readBit(); // delta_pic_order_always_zero_flag
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = r.readUe();
            if (cycle > 255) {
                throw new IllegalArgumentException("num_ref_frames_in_pic_order_cnt_cycle " + cycle + " over 255");
            }
            for (int i = 0; i < cycle; i++) {
                r.readSe();
            }
        }
        r.readUe(); // max_num_ref_frames
        r.readBit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.readUe() + 1L;
        long heightMapUnits = r.readUe() + 1L;
        int frameMbsOnly = r.readBit();
        if (frameMbsOnly == 0) {
            r.readBit(); // mb_adaptive_frame_field_flag
        }
        r.readBit(); // direct_8x8_inference_flag
        long codedWidth = widthMbs * 16;
        long codedHeight = (2 - frameMbsOnly) * heightMapUnits * 16;
        long cropX = 0;
        long cropY = 0;
        if (r.readBit() == 1) { // frame_cropping_flag
            boolean mono = chroma == 0 || separatePlanes;
            int unitX = mono ? 1 : (chroma == 3 ? 1 : 2);
            int unitY = (mono ? 1 : (chroma == 1 ? 2 : 1)) * (2 - frameMbsOnly);
            cropX = unitX * ((long) r.readUe() + r.readUe());
            cropY = unitY * ((long) r.readUe() + r.readUe());
        }
        return size(codedWidth - cropX, codedHeight - cropY, codedWidth, codedHeight);
    }

    private static void skipScalingList(RbspReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + r.readSe() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    /** seq_parameter_set_rbsp up to conf_win_*_offset (H.265 7.3.2.2.1) and the size it implies (7.4.3.2.1). */
    static PictureSize hevc(byte[] sps) {
        if (sps.length < 3 || ((sps[0] >> 1) & 0x3F) != HEVC_NAL_SPS) {
            throw new IllegalArgumentException("not an HEVC SPS NAL unit");
        }
        RbspReader r = new RbspReader(H264Bitstream.unescapeRbsp(sps), 2);
        r.skip(4); // sps_video_parameter_set_id
        int subLayers = r.readBits(3); // sps_max_sub_layers_minus1
        r.skip(1); // sps_temporal_id_nesting_flag
        skipProfileTierLevel(r, subLayers);
        r.readUe(); // sps_seq_parameter_set_id
        int chroma = r.readUe();
        if (chroma > 3) {
            throw new IllegalArgumentException("chroma_format_idc " + chroma + " out of range 0..3");
        }
        boolean separatePlanes = chroma == 3 && r.readBit() == 1;
        long codedWidth = r.readUe();
        long codedHeight = r.readUe();
        long cropX = 0;
        long cropY = 0;
        if (r.readBit() == 1) { // conformance_window_flag
            boolean mono = chroma == 0 || separatePlanes;
            int unitX = mono || chroma == 3 ? 1 : 2;
            int unitY = mono || chroma != 1 ? 1 : 2;
            cropX = unitX * ((long) r.readUe() + r.readUe());
            cropY = unitY * ((long) r.readUe() + r.readUe());
        }
        return size(codedWidth - cropX, codedHeight - cropY, codedWidth, codedHeight);
    }

    /** profile_tier_level(1, maxNumSubLayersMinus1) (H.265 7.3.3): fixed-size fields only. */
    private static void skipProfileTierLevel(RbspReader r, int subLayers) {
        r.skip(88); // general profile space … general_inbld/reserved flag
        r.skip(8); // general_level_idc
        boolean[] profilePresent = new boolean[subLayers];
        boolean[] levelPresent = new boolean[subLayers];
        for (int i = 0; i < subLayers; i++) {
            profilePresent[i] = r.readBit() == 1;
            levelPresent[i] = r.readBit() == 1;
        }
        if (subLayers > 0) {
            r.skip(2 * (8 - subLayers)); // reserved_zero_2bits
        }
        for (int i = 0; i < subLayers; i++) {
            r.skip(profilePresent[i] ? 88 : 0);
            r.skip(levelPresent[i] ? 8 : 0);
        }
    }

    /** The first SPS in an HEVCDecoderConfigurationRecord's arrays. */
    private static byte[] firstHevcSps(byte[] record) {
        if (record.length < HVCC_HEADER_BYTES + 1 || record[0] != 1) {
            throw new IllegalArgumentException("not an HEVCDecoderConfigurationRecord (version byte must be 1)");
        }
        int pos = HVCC_HEADER_BYTES;
        int arrays = record[pos++] & 0xFF;
        for (int a = 0; a < arrays; a++) {
            need(record, pos, 3);
            int type = record[pos] & 0x3F;
            int count = ((record[pos + 1] & 0xFF) << 8) | (record[pos + 2] & 0xFF);
            pos += 3;
            for (int n = 0; n < count; n++) {
                need(record, pos, 2);
                int len = ((record[pos] & 0xFF) << 8) | (record[pos + 1] & 0xFF);
                pos += 2;
                need(record, pos, len);
                if (type == HEVC_NAL_SPS && len > 0) {
                    return Arrays.copyOfRange(record, pos, pos + len);
                }
                pos += len;
            }
        }
        throw new IllegalArgumentException("hvcC record has no SPS");
    }

    private static void need(byte[] record, int pos, int bytes) {
        if (pos + bytes > record.length) {
            throw new IllegalArgumentException("hvcC record truncated");
        }
    }

    private static PictureSize size(long width, long height, long codedWidth, long codedHeight) {
        if (codedWidth > Integer.MAX_VALUE || codedHeight > Integer.MAX_VALUE || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("SPS declares an impossible picture size " + width + "x" + height);
        }
        return new PictureSize((int) width, (int) height, (int) codedWidth, (int) codedHeight);
    }
}
