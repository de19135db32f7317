package com.streamloom.node.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the URI, a parsed path has no segment that could leave its directory. */
class RequestPathProperties {

    @Property(tries = 5000)
    void parsedSegmentsAreAlwaysSafe(@ForAll("uris") String uri) {
        try {
            RequestPath path = RequestPath.parse(uri);
            for (String segment : path.segments()) {
                assertThat(segment).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..")
                        .doesNotContain("/").doesNotContain("\\").doesNotContain("\0");
            }
        } catch (IllegalArgumentException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
        }
    }

    /** URIs built from the pieces traversal attacks are made of. */
    @Provide
    Arbitrary<String> uris() {
        Arbitrary<String> piece = Arbitraries.of("/", "..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "%00", "%",
                "%c0%ae", "hls", "cam", "index.m3u8", "0.ts", "?", "#", "%252e", "+", "a");
        return piece.list().ofMaxSize(12).map(parts -> "/" + String.join("", parts));
    }
}
