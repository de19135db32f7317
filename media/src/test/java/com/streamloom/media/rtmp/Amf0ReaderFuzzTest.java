package com.streamloom.media.rtmp;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AMF0 reader rejects any byte string with {@link RtmpProtocolException} and nothing else, and what it reads
 * never nests deeper than the limit it was given.
 */
class Amf0ReaderFuzzTest {
    private static final int MAX_DEPTH = RtmpSettings.defaults().maxAmfDepth();

    @FuzzTest(maxDuration = "30s")
    void readerThrowsOnlyProtocolExceptions(byte[] data) {
        List<Object> values;
        try {
            values = Amf0Reader.readAll(data, MAX_DEPTH);
        } catch (RtmpProtocolException expected) {
            return; // bad AMF0, rejected: fine
        }
        for (Object value : values) {
            assertThat(depth(value)).isLessThanOrEqualTo(MAX_DEPTH);
        }
    }

    private static int depth(Object value) {
        Iterable<?> children = value instanceof Amf0.EcmaArray a ? a.entries().values()
                : value instanceof Map<?, ?> m ? m.values()
                : value instanceof List<?> l ? l
                : null;
        if (children == null) {
            return 0;
        }
        int deepest = 0;
        for (Object child : children) {
            deepest = Math.max(deepest, depth(child));
        }
        return deepest + 1;
    }
}
