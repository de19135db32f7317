package com.streamloom.node;

import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's write API opens only to its own secret: the node token standalone, the control API's call token in a cluster. */
class NodeTokenTest {
    static final String JOIN = "Jn4Rt8Wq2Lx6Zp9Vc3Bm7Kd5";
    static final String CALL = "Cl7Hx2Nq9Pz4Rt6Wv8Ks3Jd5Fm1";

    @Test
    void inAClusterOnlyTheControlApisCallTokenOpensTheWriteApi() throws Exception {
        NodeToken token = new NodeToken(JOIN, true);
        // Before the first desired state the node cannot tell the control API's calls from anyone's.
        assertThatThrownBy(() -> token.requireBearer(request(CALL))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(503));
        token.acceptControlCalls(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(CALL.getBytes(StandardCharsets.UTF_8))));
        assertThatCode(() -> token.requireBearer(request(CALL))).doesNotThrowAnyException();
        // The join token every node holds opens no node; nor does anything else.
        for (String wrong : List.of(JOIN, CALL + "x", "")) {
            assertThatThrownBy(() -> token.requireBearer(request(wrong))).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(403));
        }
        assertThatThrownBy(() -> token.requireBearer(request(null))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void standaloneTheNodeTokenOpensTheWriteApi() {
        NodeToken token = new NodeToken(JOIN);
        assertThatCode(() -> token.requireBearer(request(JOIN))).doesNotThrowAnyException();
        assertThatThrownBy(() -> token.requireBearer(request(CALL))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new NodeToken(null).requireBearer(request(JOIN))).isInstanceOf(ApiException.class);
    }

    private static ApiRequest request(String bearer) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        if (bearer != null) {
            headers.set("Authorization", "Bearer " + bearer);
        }
        return new ApiRequest(HttpMethod.POST, "/api/streams/x/captions", Map.of(), Map.of(), headers, new byte[0]);
    }
}
