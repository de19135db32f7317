package com.streamloom.node.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any request URI is either refused with IllegalArgumentException (a 400) or split into at most
 * {@link RequestPath#MAX_SEGMENTS} segments none of which could leave its directory.
 */
class RequestPathFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void pathsAreSafeOrRefused(byte[] data) {
        String uri = new String(data, StandardCharsets.UTF_8);
        RequestPath path;
        try {
            path = RequestPath.parse(uri);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(path.size()).isLessThanOrEqualTo(RequestPath.MAX_SEGMENTS);
        for (String segment : path.segments()) {
            assertThat(segment).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..")
                    .doesNotContain("/").doesNotContain("\\");
            assertThat(segment.chars()).noneMatch(c -> c < 0x20 || c == 0x7F);
        }
    }
}
