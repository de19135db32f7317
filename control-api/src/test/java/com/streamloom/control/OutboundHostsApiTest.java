package com.streamloom.control;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.streamloom.control.Api.admin;
import static com.streamloom.control.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A spec naming a denied host (link-local, cloud metadata) as pull source or forward target is a 400 naming the field. */
@QuarkusTest
class OutboundHostsApiTest {

    @Test
    void aPullFromTheMetadataServiceIsRefusedNamingTheFieldAndTheRule() {
        admin().body(Map.of("name", unique("meta"), "source", Map.of("type", "rtsp-pull",
                        "url", "rtsp://169.254.169.254/latest/meta-data")))
                .post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("source.url"))
                .body("error", equalTo("source.url: host 169.254.169.254 is denied by streamloom.outbound.deny rule"
                        + " 169.254.0.0/16"));
        admin().body(Map.of("name", unique("meta"), "source", Map.of("type", "rtmp-pull",
                        "url", "rtmp://user:pw@[fe80::1%25eth0]:1935/live/x")))
                .post("/api/v1/streams").then().statusCode(400).body("field", equalTo("source.url"));
    }

    @Test
    void aForwardToAMetadataHostNameIsRefused() {
        admin().body(Map.of("name", unique("fwd"), "output", Map.of("forwardUrls",
                        List.of("rtmp://127.0.0.1:1936/live/ok", "rtmp://Metadata.Google.Internal/live/x"))))
                .post("/api/v1/streams").then().statusCode(400)
                .body("field", equalTo("output.forwardUrls[1]"))
                .body("error", containsString("metadata.google.internal"));
    }

    @Test
    void loopbackAndPrivateHostsStayAllowed() {
        admin().body(Map.of("name", unique("cam"), "source", Map.of("type", "rtsp-pull",
                        "url", "rtsp://192.168.1.20:554/stream1")))
                .post("/api/v1/streams").then().statusCode(201);
        admin().body(Api.pullStream(unique("cam"))).post("/api/v1/streams").then().statusCode(201);
    }
}
