package com.streamloom.media.hls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter sets of an AVCDecoderConfigurationRecord ("avcC", ISO 14496-15 5.2.4.1) and the conversion of
 * AVCC samples (length-prefixed NAL units) to the Annex B byte stream (ISO 14496-10 Annex B) that MPEG-TS carries.
 *
 * @param nalLengthSize bytes of each NAL unit length prefix in samples (1, 2 or 4)
 * @param sps           sequence parameter sets, without prefixes
 * @param pps           picture parameter sets, without prefixes
 */
public record AvcConfig(int nalLengthSize, List<byte[]> sps, List<byte[]> pps) {
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_AUD = 9;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    /** Access unit delimiter with primary_pic_type 7 (any slice type), ISO 14496-10 7.3.2.4; HLS requires one per
     * access unit in TS (Apple HLS authoring spec, and older decoders need it to find frame boundaries). */
    private static final byte[] AUD = {0, 0, 0, 1, NAL_AUD, (byte) 0xF0};

    public AvcConfig {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses an avcC record; throws IllegalArgumentException with the reason if it is malformed. */
    public static AvcConfig parse(byte[] record) {
        Reader r = new Reader(record);
        int version = r.u8();
        if (version != 1) {
            throw new IllegalArgumentException("avcC: configurationVersion " + version + " is not 1");
        }
        r.skip(3); // profile, profile compatibility, level
        int lengthSize = (r.u8() & 0x03) + 1;
        if (lengthSize == 3) {
            throw new IllegalArgumentException("avcC: NAL length size 3 is not allowed");
        }
        List<byte[]> sps = r.parameterSets(r.u8() & 0x1F);
        List<byte[]> pps = r.parameterSets(r.u8());
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("avcC: needs at least one SPS and one PPS");
        }
        return new AvcConfig(lengthSize, sps, pps);
    }

    /**
     * Converts one AVCC access unit to Annex B: an AUD first, then the SPS and PPS before the pictures of a keyframe
     * (unless the sample carries its own), so that every segment, and every keyframe in it, can start decoding.
     * Any AUD in the input is dropped so there is exactly one.
     */
    public byte[] toAnnexB(byte[] sample, boolean keyframe) {
        List<int[]> nals = nalUnits(sample);
        boolean hasIdr = false;
        boolean hasSps = false;
        for (int[] nal : nals) {
            int type = sample[nal[0]] & 0x1F;
            hasIdr |= type == NAL_IDR;
            hasSps |= type == NAL_SPS;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(sample.length + 64);
        out.writeBytes(AUD);
        if ((keyframe || hasIdr) && !hasSps) {
            for (byte[] set : sps) {
                out.writeBytes(START_CODE);
                out.writeBytes(set);
            }
            for (byte[] set : pps) {
                out.writeBytes(START_CODE);
                out.writeBytes(set);
            }
        }
        for (int[] nal : nals) {
            if ((sample[nal[0]] & 0x1F) == NAL_AUD) {
                continue;
            }
            out.writeBytes(START_CODE);
            out.write(sample, nal[0], nal[1]);
        }
        return out.toByteArray();
    }

    /** Offsets and lengths of the NAL units of an AVCC sample; throws on a length running past the end. */
    private List<int[]> nalUnits(byte[] sample) {
        List<int[]> nals = new ArrayList<>();
        int pos = 0;
        while (pos < sample.length) {
            if (pos + nalLengthSize > sample.length) {
                throw new IllegalArgumentException("AVCC sample: truncated NAL length at byte " + pos);
            }
            long length = 0;
            for (int i = 0; i < nalLengthSize; i++) {
                length = (length << 8) | (sample[pos + i] & 0xFF);
            }
            pos += nalLengthSize;
            if (length == 0 || length > sample.length - pos) {
                throw new IllegalArgumentException("AVCC sample: NAL length " + length + " at byte " + pos
                        + " does not fit in " + sample.length + " bytes");
            }
            nals.add(new int[] {pos, (int) length});
            pos += (int) length;
        }
        if (nals.isEmpty()) {
            throw new IllegalArgumentException("AVCC sample: no NAL units");
        }
        return nals;
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int u8() {
            need(1);
            return data[pos++] & 0xFF;
        }

        void skip(int n) {
            need(n);
            pos += n;
        }

        List<byte[]> parameterSets(int count) {
            List<byte[]> sets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                need(2);
                int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
                pos += 2;
                need(length);
                if (length == 0) {
                    throw new IllegalArgumentException("avcC: empty parameter set");
                }
                byte[] set = new byte[length];
                System.arraycopy(data, pos, set, 0, length);
                pos += length;
                sets.add(set);
            }
            return sets;
        }

        private void need(int n) {
            if (pos + n > data.length) {
                throw new IllegalArgumentException("avcC: truncated at byte " + pos + " of " + data.length);
            }
        }
    }
}
