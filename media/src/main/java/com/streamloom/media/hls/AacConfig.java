package com.streamloom.media.hls;

/**
 * What an ADTS header needs from an AudioSpecificConfig (ISO 14496-3 1.6.2.1), and the header itself
 * (ISO 14496-3 1.A.2.2, "adts_fixed_header" and "adts_variable_header"): MPEG-TS carries AAC as ADTS
 * (stream_type 0x0F), while RTMP and MP4 carry raw access units plus the config.
 *
 * @param objectType          the core audio object type (2 = AAC LC); HE-AAC signals SBR implicitly in ADTS
 * @param frequencyIndex      sampling_frequency_index of the core coder
 * @param channelConfiguration 1 to 7
 */
public record AacConfig(int objectType, int frequencyIndex, int channelConfiguration) {
    private static final int[] SAMPLE_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};
    private static final int AOT_SBR = 5;
    private static final int AOT_PS = 29;
    static final int ADTS_HEADER_BYTES = 7;
    /** aac_frame_length is 13 bits and includes the header. */
    static final int MAX_ADTS_FRAME_BYTES = (1 << 13) - 1;

    /** Parses an AudioSpecificConfig; throws IllegalArgumentException for configs that ADTS cannot express. */
    public static AacConfig parse(byte[] asc) {
        BitReader bits = new BitReader(asc);
        int objectType = objectType(bits);
        int frequencyIndex = frequencyIndex(bits);
        int channels = bits.read(4);
        if (objectType == AOT_SBR || objectType == AOT_PS) {
            // Explicit hierarchical SBR signalling (14496-3 1.6.2.1): extension rate, then the core object type.
            frequencyIndex(bits);
            objectType = objectType(bits);
        }
        if (objectType < 1 || objectType > 4) {
            throw new IllegalArgumentException("AudioSpecificConfig: object type " + objectType
                    + " cannot be carried in ADTS (only 1-4)");
        }
        if (channels < 1 || channels > 7) {
            throw new IllegalArgumentException("AudioSpecificConfig: channel configuration " + channels
                    + " needs a program config element, which is not supported");
        }
        return new AacConfig(objectType, frequencyIndex, channels);
    }

    public int sampleRate() {
        return SAMPLE_RATES[frequencyIndex];
    }

    /** Prefixes one raw AAC access unit with a 7-byte ADTS header (no CRC, one raw data block). */
    public byte[] toAdts(byte[] rawFrame) {
        int frameLength = rawFrame.length + ADTS_HEADER_BYTES;
        if (frameLength > MAX_ADTS_FRAME_BYTES) {
            throw new IllegalArgumentException("AAC frame of " + rawFrame.length + " bytes is too large for ADTS");
        }
        byte[] out = new byte[frameLength];
        out[0] = (byte) 0xFF;                                   // syncword 0xFFF ...
        out[1] = (byte) 0xF1;                                   // ... ID 0 (MPEG-4), layer 00, protection_absent 1
        out[2] = (byte) (((objectType - 1) << 6)                // profile = object type - 1
                | (frequencyIndex << 2)                         // sampling_frequency_index
                | (channelConfiguration >> 2));                 // private bit 0, channel_configuration bit 2
        out[3] = (byte) (((channelConfiguration & 3) << 6)      // channel_configuration bits 1-0
                | (frameLength >> 11));                         // original, home, copyright bits 0; frame length 12-11
        out[4] = (byte) (frameLength >> 3);                     // aac_frame_length bits 10-3
        out[5] = (byte) (((frameLength & 7) << 5) | 0x1F);      // aac_frame_length bits 2-0, buffer fullness 0x7FF ...
        out[6] = (byte) 0xFC;                                   // ... (VBR), number_of_raw_data_blocks_in_frame 0
        System.arraycopy(rawFrame, 0, out, ADTS_HEADER_BYTES, rawFrame.length);
        return out;
    }

    private static int objectType(BitReader bits) {
        int type = bits.read(5);
        return type == 31 ? 32 + bits.read(6) : type;
    }

    private static int frequencyIndex(BitReader bits) {
        int index = bits.read(4);
        if (index >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("AudioSpecificConfig: sampling frequency index " + index
                    + " (explicit or reserved rate) cannot be carried in ADTS");
        }
        return index;
    }

    private static final class BitReader {
        private final byte[] data;
        private int bit;

        BitReader(byte[] data) {
            this.data = data;
        }

        int read(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                int index = bit >> 3;
                if (index >= data.length) {
                    throw new IllegalArgumentException("AudioSpecificConfig: truncated after " + bit + " bits");
                }
                value = (value << 1) | ((data[index] >> (7 - (bit & 7))) & 1);
                bit++;
            }
            return value;
        }
    }
}
