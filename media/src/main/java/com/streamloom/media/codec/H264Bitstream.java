package com.streamloom.media.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.264 bitstream framing: Annex B byte streams (start codes, as RTSP/RTP depacketizers and MPEG-TS deliver them)
 * and the length-prefixed "AVCC" form with its AVCDecoderConfigurationRecord (as FLV, MP4 and
 * {@link com.streamloom.media.packet.MediaPacket} use them).
 *
 * <p>All methods are pure and work on heap bytes; bad input raises {@link IllegalArgumentException} with the reason.
 */
public final class H264Bitstream {
    public static final int NAL_SLICE = 1;
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    /** The H.264 profile_idc values whose SPS carries chroma_format_idc and bit depths (ITU-T H.264 7.3.2.1.1). */
    static final int[] HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135};

    private H264Bitstream() {
    }

    /** nal_unit_type, the low 5 bits of the first NAL header byte (H.264 7.3.1). */
    public static int nalType(byte[] nal) {
        if (nal.length == 0) {
            throw new IllegalArgumentException("empty NAL unit");
        }
        return nal[0] & 0x1F;
    }

    /** True if the payload starts with a 3- or 4-byte start code, i.e. looks like Annex B rather than AVCC. */
    public static boolean startsWithStartCode(byte[] data) {
        return (data.length >= 3 && data[0] == 0 && data[1] == 0 && data[2] == 1)
                || (data.length >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] == 1);
    }

    /**
     * Splits an Annex B byte stream (H.264 Annex B.1) into NAL units without start codes. Both 3- and 4-byte start
     * codes are accepted; zero bytes before a start code (leading_zero_8bits / trailing_zero_8bits) are dropped.
     * Bytes before the first start code are rejected: they would be a NAL unit without a boundary.
     */
    public static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int i = 0;
        int n = data.length;
        while (i < n && data[i] == 0) {
            i++;
        }
        if (i == n) {
            return nals;
        }
        if (i < 2 || data[i] != 1) {
            throw new IllegalArgumentException("Annex B stream does not begin with a start code");
        }
        int start = i + 1;
        i = start;
        while (true) {
            int next = findStartCode(data, i);
            int end = next < 0 ? n : next;
            // Zero bytes directly before a start code belong to it (trailing_zero_8bits), not to the NAL unit.
            int nalEnd = end;
            while (nalEnd > start && data[nalEnd - 1] == 0) {
                nalEnd--;
            }
            if (nalEnd > start) {
                nals.add(Arrays.copyOfRange(data, start, nalEnd));
            }
            if (next < 0) {
                return nals;
            }
            start = next + 3;
            i = start;
        }
    }

    /** Index of the next 00 00 01 at or after {@code from}, or -1. */
    private static int findStartCode(byte[] data, int from) {
        for (int i = from; i + 2 < data.length; i++) {
            if (data[i + 2] > 1) {
                i += 2; // no start code can begin at i, i+1 or i+2
            } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    /** Splits length-prefixed NAL units with {@code lengthSize} (1, 2 or 4) byte big-endian lengths. */
    public static List<byte[]> splitLengthPrefixed(byte[] data, int lengthSize) {
        if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
            throw new IllegalArgumentException("NAL length size must be 1, 2 or 4, got " + lengthSize);
        }
        List<byte[]> nals = new ArrayList<>();
        int i = 0;
        while (i < data.length) {
            if (i + lengthSize > data.length) {
                throw new IllegalArgumentException("truncated NAL length at offset " + i);
            }
            long len = 0;
            for (int k = 0; k < lengthSize; k++) {
                len = (len << 8) | (data[i + k] & 0xFF);
            }
            i += lengthSize;
            if (len > data.length - i) {
                throw new IllegalArgumentException("NAL length " + len + " at offset " + (i - lengthSize)
                        + " exceeds the remaining " + (data.length - i) + " bytes");
            }
            if (len > 0) {
                nals.add(Arrays.copyOfRange(data, i, i + (int) len));
            }
            i += (int) len;
        }
        return nals;
    }

    /** Joins NAL units with 4-byte big-endian lengths, the AVCC convention of MediaPacket. */
    public static byte[] joinAvcc(List<byte[]> nals) {
        int size = 0;
        for (byte[] nal : nals) {
            size += 4 + nal.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (byte[] nal : nals) {
            int len = nal.length;
            out[p++] = (byte) (len >>> 24);
            out[p++] = (byte) (len >>> 16);
            out[p++] = (byte) (len >>> 8);
            out[p++] = (byte) len;
            System.arraycopy(nal, 0, out, p, len);
            p += len;
        }
        return out;
    }

    /** Joins NAL units with 4-byte start codes (Annex B). */
    public static byte[] joinAnnexB(List<byte[]> nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(1);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /** Annex B access unit to AVCC with 4-byte lengths. */
    public static byte[] annexBToAvcc(byte[] annexB) {
        return joinAvcc(splitAnnexB(annexB));
    }

    /**
     * The AVCDecoderConfigurationRecord for codec extradata: extradata that already is one (configurationVersion 1)
     * is returned as is; Annex B extradata (libx264 with AV_CODEC_FLAG_GLOBAL_HEADER writes SPS and PPS with start
     * codes) is turned into one with 4-byte NAL lengths.
     */
    public static byte[] avcDecoderConfigurationRecord(byte[] extradata) {
        if (extradata.length > 0 && extradata[0] == 1) {
            return extradata;
        }
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] nal : splitAnnexB(extradata)) {
            if (nal.length > 0 && nalType(nal) == NAL_SPS) {
                sps.add(nal);
            } else if (nal.length > 0 && nalType(nal) == NAL_PPS) {
                pps.add(nal);
            }
        }
        return new AvcConfig(sps, pps, 4).toBytes();
    }

    /** AVCC access unit with 4-byte lengths to Annex B with 4-byte start codes. */
    public static byte[] avccToAnnexB(byte[] avcc) {
        return joinAnnexB(splitLengthPrefixed(avcc, 4));
    }

    /** Removes emulation_prevention_three_byte (H.264 7.4.1): 00 00 03 becomes 00 00, giving the RBSP. */
    public static byte[] unescapeRbsp(byte[] nal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /** Inserts emulation_prevention_three_byte where the RBSP would otherwise contain 00 00 0x (x <= 3). */
    public static byte[] escapeRbsp(byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + 8);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    /** seq_parameter_set_id of an SPS NAL unit (H.264 7.3.2.1.1). */
    public static int spsId(byte[] sps) {
        return spsInfo(sps).id();
    }

    /** pic_parameter_set_id of a PPS NAL unit (H.264 7.3.2.2): the first ue(v) after the NAL header. */
    public static int ppsId(byte[] pps) {
        if (pps.length < 2 || nalType(pps) != NAL_PPS) {
            throw new IllegalArgumentException("not a PPS NAL unit");
        }
        return new RbspReader(unescapeRbsp(pps), 1).readUe();
    }

    /** The fields of an SPS that the avcC record needs (H.264 7.3.2.1.1). */
    public record SpsInfo(int id, int profileIdc, int constraintFlags, int levelIdc, int chromaFormatIdc,
                          int bitDepthLumaMinus8, int bitDepthChromaMinus8) {
    }

    public static SpsInfo spsInfo(byte[] sps) {
        if (sps.length < 4 || nalType(sps) != NAL_SPS) {
            throw new IllegalArgumentException("not an SPS NAL unit");
        }
        byte[] rbsp = unescapeRbsp(sps);
        int profile = rbsp[1] & 0xFF;
        int constraints = rbsp[2] & 0xFF;
        int level = rbsp[3] & 0xFF;
        RbspReader r = new RbspReader(rbsp, 4);
        int id = r.readUe();
        if (id > 31) {
            throw new IllegalArgumentException("seq_parameter_set_id " + id + " out of range 0..31");
        }
        int chroma = 1; // 4:2:0 is implied when the profile does not signal it
        int depthLuma = 0;
        int depthChroma = 0;
        if (Arrays.stream(HIGH_PROFILES).anyMatch(p -> p == profile)) {
            chroma = r.readUe();
            if (chroma > 3) {
                throw new IllegalArgumentException("chroma_format_idc " + chroma + " out of range 0..3");
            }
            if (chroma == 3) {
                r.readBit(); // separate_colour_plane_flag
            }
            depthLuma = r.readUe();
            depthChroma = r.readUe();
            if (depthLuma > 6 || depthChroma > 6) {
                throw new IllegalArgumentException("bit depth out of range");
            }
        }
        return new SpsInfo(id, profile, constraints, level, chroma, depthLuma, depthChroma);
    }

    /**
     * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1.2, formerly 5.2.4.1.1): the parameter sets and the
     * NAL length size of an AVCC stream.
     */
    public record AvcConfig(List<byte[]> sps, List<byte[]> pps, int nalLengthSize) {
        public AvcConfig {
            if (sps.isEmpty() || pps.isEmpty()) {
                throw new IllegalArgumentException("an avcC record needs at least one SPS and one PPS");
            }
            if (sps.size() > 31 || pps.size() > 255) {
                throw new IllegalArgumentException("too many parameter sets for an avcC record");
            }
            sps = List.copyOf(sps);
            pps = List.copyOf(pps);
        }

        /** Serialises the record; the SPS decides profile, level and (for High profiles) the chroma extension. */
        public byte[] toBytes() {
            SpsInfo info = spsInfo(sps.get(0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(1); // configurationVersion
            out.write(info.profileIdc());
            out.write(info.constraintFlags()); // profile_compatibility
            out.write(info.levelIdc());
            out.write(0xFC | (nalLengthSize - 1)); // 6 reserved bits, lengthSizeMinusOne
            out.write(0xE0 | sps.size()); // 3 reserved bits, numOfSequenceParameterSets
            for (byte[] s : sps) {
                writeWithLength16(out, s);
            }
            out.write(pps.size());
            for (byte[] p : pps) {
                writeWithLength16(out, p);
            }
            if (Arrays.stream(HIGH_PROFILES).anyMatch(p -> p == info.profileIdc())) {
                out.write(0xFC | info.chromaFormatIdc());
                out.write(0xF8 | info.bitDepthLumaMinus8());
                out.write(0xF8 | info.bitDepthChromaMinus8());
                out.write(0); // numOfSequenceParameterSetExt
            }
            return out.toByteArray();
        }

        /** Parses a record; trailing extension bytes are read past, not interpreted. */
        public static AvcConfig parse(byte[] record) {
            if (record.length < 7 || record[0] != 1) {
                throw new IllegalArgumentException("not an AVCDecoderConfigurationRecord (version byte must be 1)");
            }
            int lengthSize = (record[4] & 0x03) + 1;
            if (lengthSize == 3) {
                throw new IllegalArgumentException("lengthSizeMinusOne 2 is not allowed");
            }
            int[] pos = {5};
            int numSps = record[pos[0]++] & 0x1F;
            List<byte[]> sps = new ArrayList<>();
            for (int k = 0; k < numSps; k++) {
                sps.add(readWithLength16(record, pos));
            }
            if (pos[0] >= record.length) {
                throw new IllegalArgumentException("avcC record truncated before numOfPictureParameterSets");
            }
            int numPps = record[pos[0]++] & 0xFF;
            List<byte[]> pps = new ArrayList<>();
            for (int k = 0; k < numPps; k++) {
                pps.add(readWithLength16(record, pos));
            }
            return new AvcConfig(sps, pps, lengthSize);
        }

        private static void writeWithLength16(ByteArrayOutputStream out, byte[] nal) {
            if (nal.length > 0xFFFF) {
                throw new IllegalArgumentException("parameter set longer than 65535 bytes");
            }
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.writeBytes(nal);
        }

        private static byte[] readWithLength16(byte[] record, int[] pos) {
            if (pos[0] + 2 > record.length) {
                throw new IllegalArgumentException("avcC record truncated in a parameter set length");
            }
            int len = ((record[pos[0]] & 0xFF) << 8) | (record[pos[0] + 1] & 0xFF);
            pos[0] += 2;
            if (len == 0 || pos[0] + len > record.length) {
                throw new IllegalArgumentException("avcC parameter set of " + len + " bytes does not fit the record");
            }
            byte[] nal = Arrays.copyOfRange(record, pos[0], pos[0] + len);
            pos[0] += len;
            return nal;
        }
    }
}
