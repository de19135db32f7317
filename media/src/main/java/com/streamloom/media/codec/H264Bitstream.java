package com.streamloom.media.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between the two H.264 byte-stream framings: Annex B (start codes {@code 00 00 01}, what x264 and
 * RTSP produce) and AVCC (4-byte big-endian NAL lengths, what FLV/RTMP, MP4 and our {@code MediaPacket} carry),
 * plus building the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1) from SPS and PPS.
 */
public final class H264Bitstream {
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;

    private H264Bitstream() {
    }

    /**
     * True if {@code data} begins with a 3- or 4-byte start code. Only a hint for data known to be Annex B or
     * AVCC from its producer: an AVCC NAL of 256..511 bytes also begins {@code 00 00 01}.
     */
    public static boolean isAnnexB(byte[] data) {
        return data.length >= 3 && data[0] == 0 && data[1] == 0
                && (data[2] == 1 || (data.length >= 4 && data[2] == 0 && data[3] == 1));
    }

    /** Splits an Annex B byte stream into its NAL units (without start codes). */
    public static List<byte[]> splitAnnexB(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < data.length) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    nals.add(trimmed(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < data.length) {
            nals.add(trimmed(data, start, data.length));
        }
        return nals;
    }

    /** A NAL ends before the zero bytes that belong to the next 4-byte start code (or are trailing_zero_8bits). */
    private static byte[] trimmed(byte[] data, int from, int to) {
        while (to > from && data[to - 1] == 0) {
            to--;
        }
        return java.util.Arrays.copyOfRange(data, from, to);
    }

    /** Converts an Annex B access unit to AVCC; data that is not Annex B is returned unchanged. */
    public static byte[] annexBToAvcc(byte[] data) {
        if (!isAnnexB(data)) {
            return data;
        }
        List<byte[]> nals = splitAnnexB(data);
        int size = 0;
        for (byte[] n : nals) {
            size += 4 + n.length;
        }
        byte[] out = new byte[size];
        int p = 0;
        for (byte[] n : nals) {
            out[p++] = (byte) (n.length >>> 24);
            out[p++] = (byte) (n.length >>> 16);
            out[p++] = (byte) (n.length >>> 8);
            out[p++] = (byte) n.length;
            System.arraycopy(n, 0, out, p, n.length);
            p += n.length;
        }
        return out;
    }

    /** Splits an AVCC access unit (4-byte lengths) into NAL units; throws on a length that overruns the data. */
    public static List<byte[]> splitAvcc(byte[] data) {
        List<byte[]> nals = new ArrayList<>();
        int p = 0;
        while (p + 4 <= data.length) {
            int len = ((data[p] & 0xff) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8)
                    | (data[p + 3] & 0xff);
            p += 4;
            if (len < 0 || len > data.length - p) {
                throw new IllegalArgumentException("AVCC NAL length " + len + " overruns the " + data.length
                        + "-byte access unit at offset " + (p - 4));
            }
            nals.add(java.util.Arrays.copyOfRange(data, p, p + len));
            p += len;
        }
        if (p != data.length) {
            throw new IllegalArgumentException((data.length - p) + " stray bytes after the last AVCC NAL unit");
        }
        return nals;
    }

    /**
     * Builds an AVCDecoderConfigurationRecord from codec extradata. Extradata that already is one (first byte
     * {@code configurationVersion = 1}) is returned unchanged; Annex B extradata (libx264 with
     * AV_CODEC_FLAG_GLOBAL_HEADER writes SPS and PPS with start codes) is converted.
     */
    public static byte[] avcDecoderConfigurationRecord(byte[] extradata) {
        if (extradata.length > 0 && extradata[0] == 1) {
            return extradata;
        }
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] nal : splitAnnexB(extradata)) {
            if (nal.length == 0) {
                continue;
            }
            int type = nal[0] & 0x1f;
            if (type == NAL_SPS) {
                sps.add(nal);
            } else if (type == NAL_PPS) {
                pps.add(nal);
            }
        }
        if (sps.isEmpty() || pps.isEmpty() || sps.get(0).length < 4) {
            throw new IllegalArgumentException("extradata holds no SPS and PPS (" + extradata.length + " bytes)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = sps.get(0);
        out.write(1);                       // configurationVersion
        out.write(first[1]);                // AVCProfileIndication
        out.write(first[2]);                // profile_compatibility
        out.write(first[3]);                // AVCLevelIndication
        out.write(0xff);                    // reserved (6 bits) + lengthSizeMinusOne = 3: 4-byte NAL lengths
        out.write(0xe0 | sps.size());       // reserved (3 bits) + numOfSequenceParameterSets
        for (byte[] s : sps) {
            writeWithLength16(out, s);
        }
        out.write(pps.size());              // numOfPictureParameterSets
        for (byte[] p : pps) {
            writeWithLength16(out, p);
        }
        return out.toByteArray();
    }

    private static void writeWithLength16(ByteArrayOutputStream out, byte[] nal) {
        out.write(nal.length >>> 8);
        out.write(nal.length & 0xff);
        out.write(nal, 0, nal.length);
    }
}
