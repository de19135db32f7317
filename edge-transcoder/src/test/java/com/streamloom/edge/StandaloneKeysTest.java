package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.SourceSpec;
import com.streamloom.spec.StreamSpec;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invariant: a standalone key matches only when its whole SHA-256 equals a configured key's. */
class StandaloneKeysTest {
    static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40_000);

    @Test
    void aKeyWhoseHashSharesTheFirstFourBytesIsRefused() throws Exception {
        String[] pair = twoKeysWithTheSameFourBytePrefix();
        assertThat(pair[0]).isNotEqualTo(pair[1]);
        StreamSpec spec = new StreamSpec("studio", SourceSpec.push(), List.of(), null, null).validated();
        StandaloneKeys keys = new StandaloneKeys(List.of(new NodeConfig.KeyedStream(pair[0], spec)), false);

        assertThat(keys.authorize(PublishRequest.of("live", pair[0], FROM)).join().streamId()).isEqualTo("studio");
        assertThatThrownBy(() -> keys.authorize(PublishRequest.of("live", pair[1], FROM)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(PublishRejectedException.class).hasMessage("invalid stream key")
                .matches(e -> ((PublishRejectedException) e).keyRefused(), "counts as a wrong key");
    }

    @Test
    void keyHashIsTheFullSha256() throws Exception {
        String key = "Zq3v8LmR1xT6pW0kY4nB7cJ2hF5dG9sA";
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(PublishRequest.keyDigest(key)).isEqualTo(expected).hasSize(32);
        assertThat(PublishRequest.of("live", key, FROM).keyHash()).hasSize(64)
                .isEqualTo(java.util.HexFormat.of().formatHex(expected));
    }

    /** Birthday search: about 2^16 random keys give two whose SHA-256 agree in the first 32 bits. */
    private static String[] twoKeysWithTheSameFourBytePrefix() {
        Map<Integer, String> seen = new HashMap<>();
        for (long i = 0; ; i++) {
            String key = "collide-key-" + Long.toHexString(i * 0x9E3779B97F4A7C15L);
            byte[] d = PublishRequest.keyDigest(key);
            int prefix = ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            String other = seen.putIfAbsent(prefix, key);
            if (other != null) {
                assertThat(Arrays.equals(PublishRequest.keyDigest(other), d)).isFalse();
                return new String[]{other, key};
            }
        }
    }
}
