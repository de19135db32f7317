package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes Java values as AMF0 (the mapping is described in {@link Amf0}). */
public final class Amf0Writer {
    private Amf0Writer() {
    }

    /** The AMF0 encoding of the values, one after another (a command or data message body). */
    public static byte[] encode(Object... values) {
        ByteBuf out = Unpooled.buffer();
        for (Object v : values) {
            write(out, v);
        }
        return ByteBufUtil.getBytes(out);
    }

    public static void write(ByteBuf out, Object value) {
        if (value == null) {
            out.writeByte(Amf0.NULL);
        } else if (value == Amf0.UNDEFINED) {
            out.writeByte(Amf0.UNDEFINED_MARKER);
        } else if (value instanceof Number n) {
            out.writeByte(Amf0.NUMBER);
            out.writeDouble(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(Amf0.BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= 0xFFFF) {
                out.writeByte(Amf0.STRING);
                out.writeShort(utf8.length);
            } else {
                out.writeByte(Amf0.LONG_STRING);
                out.writeInt(utf8.length);
            }
            out.writeBytes(utf8);
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(Amf0.OBJECT);
            writeProperties(out, map);
        } else if (value instanceof Amf0.EcmaArray array) {
            out.writeByte(Amf0.ECMA_ARRAY);
            out.writeInt(array.entries().size());
            writeProperties(out, array.entries());
        } else if (value instanceof List<?> list) {
            out.writeByte(Amf0.STRICT_ARRAY);
            out.writeInt(list.size());
            for (Object item : list) {
                write(out, item);
            }
        } else if (value instanceof Instant instant) {
            out.writeByte(Amf0.DATE);
            out.writeDouble(instant.toEpochMilli());
            out.writeShort(0);
        } else {
            throw new IllegalArgumentException("no AMF0 type for " + value.getClass().getName());
        }
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            byte[] key = String.valueOf(e.getKey()).getBytes(StandardCharsets.UTF_8);
            if (key.length > 0xFFFF) {
                throw new IllegalArgumentException("AMF0 property name longer than 65535 bytes");
            }
            out.writeShort(key.length);
            out.writeBytes(key);
            write(out, e.getValue());
        }
        out.writeShort(0);
        out.writeByte(Amf0.OBJECT_END);
    }
}
