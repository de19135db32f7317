package com.streamloom.media.rtmp;

import java.util.Map;

/**
 * AMF0 (Adobe "Action Message Format" version 0 specification) type markers and the two values that have no
 * natural Java type. Mapping used by {@link Amf0Reader} and {@link Amf0Writer}:
 * number ↔ Double (any Number is written), boolean ↔ Boolean, string / long string ↔ String, object ↔
 * Map&lt;String,Object&gt; (insertion ordered), ECMA array ↔ {@link EcmaArray}, strict array ↔ List, null ↔ null,
 * undefined ↔ {@link #UNDEFINED}, date ↔ {@link java.time.Instant} (the time zone field is ignored, as the spec
 * recommends).
 */
public final class Amf0 {
    public static final int NUMBER = 0x00;
    public static final int BOOLEAN = 0x01;
    public static final int STRING = 0x02;
    public static final int OBJECT = 0x03;
    public static final int NULL = 0x05;
    public static final int UNDEFINED_MARKER = 0x06;
    public static final int ECMA_ARRAY = 0x08;
    public static final int OBJECT_END = 0x09;
    public static final int STRICT_ARRAY = 0x0A;
    public static final int DATE = 0x0B;
    public static final int LONG_STRING = 0x0C;

    /** The AMF0 undefined value (distinct from null, which RTMP commands use for "no command object"). */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    /** An associative ("ECMA") array, e.g. the onMetaData properties; kept apart from objects to round-trip. */
    public record EcmaArray(Map<String, Object> entries) {
    }

    private Amf0() {
    }
}
