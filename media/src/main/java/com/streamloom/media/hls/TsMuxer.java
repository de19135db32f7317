package com.streamloom.media.hls;

import com.streamloom.media.packet.MediaPacket;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * An MPEG-2 transport stream writer (ISO 13818-1) for one program with H.264 video and AAC audio, as HLS expects
 * (RFC 8216 3.2): PAT and PMT at the start of every segment, one PES packet per access unit, PCR on the video PID,
 * per-PID continuity counters that continue across segments, adaptation-field stuffing, and random_access_indicator
 * on keyframes.
 *
 * <p>Input is {@link MediaPacket}s: config packets (avcC, AudioSpecificConfig) update the codec state; media packets
 * are converted (AVCC to Annex B with AUD and parameter sets, raw AAC to ADTS) and written to the given output.
 * Timestamps become 90 kHz (ISO 13818-1 2.4.3.7), modulo 2^33. Not thread-safe: one owner (the packager) calls it.
 */
public final class TsMuxer {
    static final int PACKET_SIZE = 188;
    static final int PID_PAT = 0x0000;
    static final int PID_PMT = 0x1000;
    static final int PID_VIDEO = 0x0100;
    static final int PID_AUDIO = 0x0101;
    static final int STREAM_TYPE_H264 = 0x1B;
    static final int STREAM_TYPE_AAC_ADTS = 0x0F;
    private static final int STREAM_ID_VIDEO = 0xE0;
    private static final int STREAM_ID_AUDIO = 0xC0;
    private static final int PROGRAM_NUMBER = 1;
    private static final long TIMESTAMP_MASK = (1L << 33) - 1;
    /**
     * PCR runs this far behind the DTS of the video it is sent with, so that in the T-STD model (ISO 13818-1 2.4.2)
     * each access unit arrives before its decode time.
     */
    static final long PCR_LEAD_90KHZ = 9_000;

    private final byte[] packet = new byte[PACKET_SIZE];
    private final int[] continuity = new int[0x2000];
    private AvcConfig video;
    private AacConfig audio;
    private int tableVersion;
    private boolean tablesDirty = true;
    /** PIDs that still owe a discontinuity_indicator (set after a timeline break, ISO 13818-1 2.4.3.5). */
    private boolean videoDiscontinuity;
    private boolean audioDiscontinuity;

    /**
     * Takes a codec config packet (avcC or AudioSpecificConfig); a new track changes the PMT, which is then rewritten
     * with a new version_number before the next media packet. Throws IllegalArgumentException for a bad config.
     */
    public void configure(MediaPacket config) {
        if (config.isVideo()) {
            if (config.codec() != MediaPacket.Codec.H264) {
                throw new IllegalArgumentException("MPEG-TS muxer supports H.264 video only, not " + config.codec());
            }
            boolean added = video == null;
            video = AvcConfig.parse(config.data());
            tablesDirty |= added;
        } else {
            boolean added = audio == null;
            audio = AacConfig.parse(config.data());
            tablesDirty |= added;
        }
        if (tablesDirty && !(video == null && audio == null)) {
            tableVersion = (tableVersion + 1) & 0x1F;
        }
    }

    public boolean hasVideo() {
        return video != null;
    }

    public boolean hasAudio() {
        return audio != null;
    }

    /** Writes PAT and PMT, as the first packets of every segment (RFC 8216 3.2). */
    public void writeTables(ByteArrayOutputStream out) {
        writeSection(out, PID_PAT, patSection());
        writeSection(out, PID_PMT, pmtSection());
        tablesDirty = false;
    }

    /** The next packet of each PID carries discontinuity_indicator: the timeline was rebased after a reconnect. */
    public void markDiscontinuity() {
        videoDiscontinuity = true;
        audioDiscontinuity = true;
    }

    /**
     * Writes one media access unit (not a config packet) as a PES packet. Returns false, writing nothing, when the
     * track's config has not been seen yet (the packet cannot be decoded). Throws IllegalArgumentException for a
     * malformed payload, also writing nothing.
     */
    public boolean write(MediaPacket media, ByteArrayOutputStream out) {
        byte[] es = elementaryStream(media);
        if (es == null) {
            return false;
        }
        writeElementaryStream(media, es, out);
        return true;
    }

    /**
     * The first half of {@link #write}: the packet's payload as it goes into the PES packet (Annex B with AUD and
     * parameter sets, or ADTS), or null if its track is not configured; IllegalArgumentException if malformed. Lets
     * a caller check a packet before acting on it (the packager starts a segment only with a usable keyframe).
     */
    public byte[] elementaryStream(MediaPacket media) {
        if (media.isVideo()) {
            return video == null ? null : video.toAnnexB(media.data(), media.keyframe());
        }
        return audio == null ? null : audio.toAdts(media.data());
    }

    /** The second half of {@link #write}: writes {@code es} from {@link #elementaryStream} as one PES packet. */
    public void writeElementaryStream(MediaPacket media, byte[] es, ByteArrayOutputStream out) {
        if (tablesDirty) {
            writeTables(out);
        }
        if (media.isVideo()) {
            writePes(out, PID_VIDEO, STREAM_ID_VIDEO, to90kHz(media.ptsMicros()), to90kHz(media.dtsMicros()), es,
                    media.keyframe(), true, videoDiscontinuity);
            videoDiscontinuity = false;
        } else {
            // PCR goes on the audio PID only when there is no video PID to carry it (the PMT names the PCR PID).
            writePes(out, PID_AUDIO, STREAM_ID_AUDIO, to90kHz(media.ptsMicros()), -1, es, true, video == null,
                    audioDiscontinuity);
            audioDiscontinuity = false;
        }
    }

    static long to90kHz(long micros) {
        return Math.floorDiv(micros * 9, 100) & TIMESTAMP_MASK;
    }

    private byte[] patSection() {
        Section s = new Section(0x00, 1 /* transport_stream_id */);
        s.u16(PROGRAM_NUMBER);
        s.u16(0xE000 | PID_PMT);                           // reserved '111', program_map_PID
        return s.finish();
    }

    private byte[] pmtSection() {
        Section s = new Section(0x02, PROGRAM_NUMBER);
        s.u16(0xE000 | pcrPid());                          // reserved '111', PCR_PID
        s.u16(0xF000);                                     // reserved '1111', program_info_length 0
        if (video != null) {
            s.u8(STREAM_TYPE_H264);
            s.u16(0xE000 | PID_VIDEO);                     // reserved '111', elementary_PID
            s.u16(0xF000);                                 // reserved '1111', ES_info_length 0
        }
        if (audio != null) {
            s.u8(STREAM_TYPE_AAC_ADTS);
            s.u16(0xE000 | PID_AUDIO);
            s.u16(0xF000);
        }
        return s.finish();
    }

    private int pcrPid() {
        return video != null || audio == null ? PID_VIDEO : PID_AUDIO;
    }

    /** A PSI section in one TS packet: pointer_field 0, the section, then 0xFF fill (ISO 13818-1 2.4.4). */
    private void writeSection(ByteArrayOutputStream out, int pid, byte[] section) {
        Arrays.fill(packet, (byte) 0xFF);
        writeHeader(pid, true, false);
        packet[4] = 0;                                     // pointer_field
        System.arraycopy(section, 0, packet, 5, section.length);
        out.write(packet, 0, PACKET_SIZE);
    }

    /** Writes sync byte, PUSI, PID and continuity counter; adaptation_field_control is payload only or both. */
    private void writeHeader(int pid, boolean payloadUnitStart, boolean adaptationField) {
        packet[0] = 0x47;
        packet[1] = (byte) ((payloadUnitStart ? 0x40 : 0) | (pid >> 8));
        packet[2] = (byte) pid;
        int cc = continuity[pid];
        continuity[pid] = (cc + 1) & 0x0F;                 // counts packets with payload (ISO 13818-1 2.4.3.3)
        packet[3] = (byte) ((adaptationField ? 0x30 : 0x10) | cc);
    }

    private void writePes(ByteArrayOutputStream out, int pid, int streamId, long pts, long dts, byte[] es,
                          boolean randomAccess, boolean withPcr, boolean discontinuity) {
        byte[] header = pesHeader(streamId, pts, dts, es.length);
        int total = header.length + es.length;
        int written = 0;
        boolean first = true;
        while (written < total) {
            // Adaptation field body (after its length byte): flags, then PCR, then stuffing.
            boolean flags = first && (randomAccess || withPcr || discontinuity);
            int afBody = flags ? 1 + (withPcr ? 6 : 0) : 0;
            boolean hasAf = flags;
            int space = PACKET_SIZE - 4 - (hasAf ? 1 + afBody : 0);
            int remaining = total - written;
            int stuffing = 0;
            if (remaining < space) {
                int spare = space - remaining;
                if (!hasAf) {
                    hasAf = true;                          // the length byte alone absorbs one spare byte
                    spare -= 1;
                    if (spare > 0) {
                        afBody = 1;                        // a flags byte (all zero) ...
                        spare -= 1;
                    }
                }
                stuffing = spare;                          // ... and 0xFF stuffing bytes (2.4.3.5)
                afBody += stuffing;
                space = remaining;
            }
            writeHeader(pid, first, hasAf);
            int pos = 4;
            if (hasAf) {
                packet[pos++] = (byte) afBody;             // adaptation_field_length
                if (afBody > 0) {
                    int flagByte = 0;
                    if (flags) {
                        flagByte = (discontinuity ? 0x80 : 0)   // discontinuity_indicator
                                | (randomAccess ? 0x40 : 0)     // random_access_indicator
                                | (withPcr ? 0x10 : 0);         // PCR_flag
                    }
                    packet[pos++] = (byte) flagByte;
                    if (flags && withPcr) {
                        pos = writePcr(pos, (dts >= 0 ? dts : pts) - PCR_LEAD_90KHZ);
                    }
                    Arrays.fill(packet, pos, pos + stuffing, (byte) 0xFF);
                    pos += stuffing;
                }
            }
            int chunk = Math.min(space, total - written);
            for (int i = 0; i < chunk; i++) {
                int index = written + i;
                packet[pos + i] = index < header.length ? header[index] : es[index - header.length];
            }
            written += chunk;
            out.write(packet, 0, PACKET_SIZE);
            first = false;
        }
    }

    /** program_clock_reference_base (33 bits, 90 kHz), 6 reserved bits, extension 0 (ISO 13818-1 2.4.3.5). */
    private int writePcr(int pos, long pcr90) {
        long base = pcr90 & TIMESTAMP_MASK;
        packet[pos++] = (byte) (base >> 25);
        packet[pos++] = (byte) (base >> 17);
        packet[pos++] = (byte) (base >> 9);
        packet[pos++] = (byte) (base >> 1);
        packet[pos++] = (byte) (((base & 1) << 7) | 0x7E);
        packet[pos++] = 0;
        return pos;
    }

    /** PES header (ISO 13818-1 2.4.3.6) with PTS, and DTS when it differs from PTS. */
    private static byte[] pesHeader(int streamId, long pts, long dts, int esLength) {
        boolean withDts = dts >= 0 && dts != pts;
        int headerDataLength = withDts ? 10 : 5;
        byte[] h = new byte[9 + headerDataLength];
        h[2] = 1;                                          // packet_start_code_prefix 00 00 01
        h[3] = (byte) streamId;
        int pesLength = 3 + headerDataLength + esLength;
        // PES_packet_length 0 means "unbounded", allowed only for video (2.4.3.7); audio frames are always small.
        if (pesLength > 0xFFFF || streamId == STREAM_ID_VIDEO) {
            pesLength = 0;
        }
        h[4] = (byte) (pesLength >> 8);
        h[5] = (byte) pesLength;
        h[6] = (byte) 0x84;                                // '10', data_alignment_indicator
        h[7] = (byte) (withDts ? 0xC0 : 0x80);             // PTS_DTS_flags
        h[8] = (byte) headerDataLength;
        writeTimestamp(h, 9, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(h, 14, 0x1, dts);
        }
        return h;
    }

    /** A 33-bit timestamp in 5 bytes with marker bits, after a 4-bit prefix. */
    private static void writeTimestamp(byte[] h, int pos, int prefix, long ts) {
        h[pos] = (byte) ((prefix << 4) | (((ts >> 30) & 0x07) << 1) | 1);
        h[pos + 1] = (byte) (ts >> 22);
        h[pos + 2] = (byte) ((((ts >> 15) & 0x7F) << 1) | 1);
        h[pos + 3] = (byte) (ts >> 7);
        h[pos + 4] = (byte) (((ts & 0x7F) << 1) | 1);
    }

    /** A long-form PSI section with CRC_32 (ISO 13818-1 2.4.4.10 and Annex A). */
    private final class Section {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(64);

        Section(int tableId, int idExtension) {
            body.write(tableId);
            body.write(0);                                 // section_length placeholder (2 bytes)
            body.write(0);
            u16(idExtension);                              // transport_stream_id or program_number
            u8(0xC0 | (tableVersion << 1) | 1);            // reserved '11', version_number, current_next_indicator
            u8(0);                                         // section_number
            u8(0);                                         // last_section_number
        }

        void u8(int value) {
            body.write(value);
        }

        void u16(int value) {
            body.write(value >> 8);
            body.write(value);
        }

        byte[] finish() {
            byte[] bytes = Arrays.copyOf(body.toByteArray(), body.size() + 4);
            int sectionLength = bytes.length - 3;
            bytes[1] = (byte) (0xB0 | (sectionLength >> 8)); // section_syntax_indicator 1, '0', reserved '11'
            bytes[2] = (byte) sectionLength;
            int crc = crc32Mpeg(bytes, bytes.length - 4);
            bytes[bytes.length - 4] = (byte) (crc >> 24);
            bytes[bytes.length - 3] = (byte) (crc >> 16);
            bytes[bytes.length - 2] = (byte) (crc >> 8);
            bytes[bytes.length - 1] = (byte) crc;
            return bytes;
        }
    }

    /** CRC-32/MPEG-2: polynomial 0x04C11DB7, initial 0xFFFFFFFF, no reflection, no final xor. */
    static int crc32Mpeg(byte[] data, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < length; i++) {
            crc ^= (data[i] & 0xFF) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
