package com.streamloom.media.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AMF0 reader and writer: each type, the limits, and a writer → reader round trip property. */
class Amf0Test {

    @Test
    void readsAConnectCommandAsFfmpegWritesIt() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x02).writeShort(7)                   // string of 7 bytes
                .writeBytes(ascii("connect"))                    // "connect"
                .writeByte(0x00).writeDouble(1)                  // number 1 (transaction id)
                .writeByte(0x03)                                 // object
                .writeShort(3).writeBytes(ascii("app"))          // key "app"
                .writeByte(0x02).writeShort(4).writeBytes(ascii("live")) // value "live"
                .writeShort(0).writeByte(0x09);                  // object end
        List<Object> values = Amf0Reader.readAll(ByteBufUtil.getBytes(in), 16);
        assertThat(values).containsExactly("connect", 1.0, Map.of("app", "live"));
    }

    @Test
    void readsEveryType() {
        byte[] data = Amf0Writer.encode(1.5, true, "s", "x".repeat(70_000), null, Amf0.UNDEFINED,
                new Amf0.EcmaArray(Map.of("w", 320.0)), List.of(1.0, "a"), Instant.ofEpochMilli(1234));
        assertThat(Amf0Reader.readAll(data, 16)).containsExactly(1.5, true, "s", "x".repeat(70_000), null,
                Amf0.UNDEFINED, new Amf0.EcmaArray(Map.of("w", 320.0)), List.of(1.0, "a"), Instant.ofEpochMilli(1234));
    }

    @Test
    void closesOnTruncatedAmfObject() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x03)                                 // object
                .writeShort(3).writeBytes(ascii("app"))          // key "app"
                .writeByte(0x02).writeShort(4).writeBytes(ascii("li")); // string of 4 bytes, only 2 present
        assertThatThrownBy(() -> Amf0Reader.readAll(ByteBufUtil.getBytes(in), 16))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("truncated AMF0");
    }

    @Test
    void rejectsObjectWithoutEndMarker() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x03)                                 // object
                .writeShort(0);                                  // empty key, then nothing: no 0x09
        assertThatThrownBy(() -> Amf0Reader.readAll(ByteBufUtil.getBytes(in), 16))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("truncated AMF0");
    }

    @Test
    void rejectsStrictArrayCountingMoreValuesThanBytes() {
        ByteBuf in = Unpooled.buffer()
                .writeByte(0x0A)                                 // strict array
                .writeInt(0x7FFFFFFF)                            // 2^31-1 values claimed
                .writeByte(0x05);                                // one null present
        assertThatThrownBy(() -> Amf0Reader.readAll(ByteBufUtil.getBytes(in), 16))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("strict array of 2147483647");
    }

    @Test
    void rejectsDeeplyNestedAmf() {
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < 17; i++) {
            in.writeByte(0x0A).writeInt(1);                      // strict array of one value, 17 levels deep
        }
        in.writeByte(0x05);                                      // null at the bottom
        assertThatThrownBy(() -> Amf0Reader.readAll(ByteBufUtil.getBytes(in), 16))
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("rtmp.max-amf-depth");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        Object value = null;
        for (int i = 0; i < 16; i++) {
            value = List.of(value == null ? "leaf" : value);
        }
        assertThat(Amf0Reader.readAll(Amf0Writer.encode(value), 16)).containsExactly(value);
    }

    @Test
    void rejectsUnsupportedMarkers() {
        assertThatThrownBy(() -> Amf0Reader.readAll(new byte[] {0x11}, 16))   // AMF3 switch marker
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("0x11");
        assertThatThrownBy(() -> Amf0Reader.readAll(new byte[] {0x07, 0, 1}, 16)) // reference
                .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("0x7");
    }

    @Property(tries = 300)
    void writerThenReaderGivesTheSameValues(@ForAll("amfValues") Object value) {
        assertThat(Amf0Reader.readAll(Amf0Writer.encode(value, "tail"), 16)).containsExactly(value, "tail");
    }

    @Provide
    Arbitrary<Object> amfValues() {
        // Depth-bounded recursion: scalars at the leaves, arrays, objects and ECMA arrays of them up to 4 deep.
        Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8);
        return Arbitraries.recursive(
                () -> Arbitraries.oneOf(
                        Arbitraries.doubles().map(d -> (Object) d),
                        Arbitraries.of(true, false).map(b -> (Object) b),
                        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                        Arbitraries.of(Amf0.UNDEFINED),
                        Arbitraries.longs().between(-8_640_000_000_000_000L, 8_640_000_000_000_000L)
                                .map(ms -> (Object) Instant.ofEpochMilli(ms))),
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(4).map(l -> (Object) l),
                        Arbitraries.maps(keys, inner).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m)),
                        Arbitraries.maps(keys, inner).ofMaxSize(3)
                                .map(m -> (Object) new Amf0.EcmaArray(new LinkedHashMap<>(m)))),
                0, 4);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
