package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (AMF0 spec section 2) from a buffer, with a nesting limit. Any truncation, unknown or
 * unsupported marker (references, typed objects, AMF3 switch) or nesting deeper than the limit throws
 * {@link RtmpProtocolException}, never anything else: a peer controls every byte. Counts inside the data (array
 * lengths, string lengths) are checked against the bytes actually present before anything is allocated.
 */
public final class Amf0Reader {
    private final ByteBuf in;
    private final int maxDepth;

    public Amf0Reader(ByteBuf in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /** Reads every value in {@code data} (a command or data message body). */
    public static List<Object> readAll(byte[] data, int maxDepth) {
        Amf0Reader reader = new Amf0Reader(Unpooled.wrappedBuffer(data), maxDepth);
        List<Object> values = new ArrayList<>();
        while (reader.hasMore()) {
            values.add(reader.readValue());
        }
        return values;
    }

    public boolean hasMore() {
        return in.isReadable();
    }

    public Object readValue() {
        return readValue(0);
    }

    private Object readValue(int depth) {
        int marker = readUnsignedByte("type marker");
        switch (marker) {
            case Amf0.NUMBER:
                return readDouble();
            case Amf0.BOOLEAN:
                return readUnsignedByte("boolean") != 0;
            case Amf0.STRING:
                return readUtf8(readUnsignedShort("string length"));
            case Amf0.LONG_STRING:
                return readUtf8(readUnsignedInt("long string length"));
            case Amf0.OBJECT:
                checkDepth(depth);
                return readProperties(depth);
            case Amf0.ECMA_ARRAY:
                checkDepth(depth);
                // The count is only a hint (spec 2.10); the end marker terminates the array.
                readUnsignedInt("ECMA array count");
                return new Amf0.EcmaArray(readProperties(depth));
            case Amf0.STRICT_ARRAY: {
                checkDepth(depth);
                long count = readUnsignedInt("strict array count");
                // Every value takes at least one byte, so a count beyond the remaining bytes is truncation.
                if (count > in.readableBytes()) {
                    throw truncated("strict array of " + count + " values");
                }
                List<Object> list = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    list.add(readValue(depth + 1));
                }
                return list;
            }
            case Amf0.NULL:
                return null;
            case Amf0.UNDEFINED_MARKER:
                return Amf0.UNDEFINED;
            case Amf0.DATE: {
                double millis = readDouble();
                readUnsignedShort("date time zone");
                if (Double.isNaN(millis) || Double.isInfinite(millis)) {
                    throw new RtmpProtocolException("AMF0 date is not a finite number");
                }
                return Instant.ofEpochMilli((long) millis);
            }
            case Amf0.OBJECT_END:
                throw new RtmpProtocolException("AMF0 object end marker outside an object");
            default:
                throw new RtmpProtocolException("unsupported AMF0 type marker 0x" + Integer.toHexString(marker));
        }
    }

    private Map<String, Object> readProperties(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            String key = readUtf8(readUnsignedShort("property name length"));
            if (key.isEmpty()) {
                if (!in.isReadable()) {
                    throw truncated("object without end marker");
                }
                if (in.getUnsignedByte(in.readerIndex()) == Amf0.OBJECT_END) {
                    in.skipBytes(1);
                    return map;
                }
            }
            map.put(key, readValue(depth + 1));
        }
    }

    private void checkDepth(int depth) {
        if (depth >= maxDepth) {
            throw new RtmpProtocolException("AMF0 nesting deeper than " + maxDepth + " (rtmp.max-amf-depth)");
        }
    }

    private String readUtf8(long length) {
        need(length, "string of " + length + " bytes");
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    private double readDouble() {
        need(8, "number");
        return in.readDouble();
    }

    private int readUnsignedByte(String what) {
        need(1, what);
        return in.readUnsignedByte();
    }

    private int readUnsignedShort(String what) {
        need(2, what);
        return in.readUnsignedShort();
    }

    private long readUnsignedInt(String what) {
        need(4, what);
        return in.readUnsignedInt();
    }

    private void need(long bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw truncated(what);
        }
    }

    private static RtmpProtocolException truncated(String what) {
        return new RtmpProtocolException("truncated AMF0 data: " + what + " runs past the end of the message");
    }
}
