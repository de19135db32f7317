package com.streamloom.node;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.streamloom.node.http.ApiException;
import com.streamloom.node.http.ApiRequest;
import com.streamloom.spec.CompositionSpec;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any request body read as a stream or composition spec (the node API's strict reading) is a spec or a 400, and a
 * spec then validates or fails with {@link SpecException}; a spec that validates means the same after validating
 * again and after a JSON round trip, as the control API stores it and nodes read it back.
 */
class SpecJsonFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void specsFailOnlyWithTheirOwnErrors(byte[] body) throws IOException {
        check(body, StreamSpec.class, StreamSpec::validated);
        check(body, CompositionSpec.class, CompositionSpec::validated);
    }

    private static <T> void check(byte[] body, Class<T> type, UnaryOperator<T> validation) throws IOException {
        T spec;
        try {
            spec = new ApiRequest(HttpMethod.PUT, "/api/streams/x", Map.of(), Map.of(), EmptyHttpHeaders.INSTANCE,
                    body).bodyAs(type);
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return; // not JSON of this shape: fine
        }
        assertThat(spec).isNotNull();
        T valid;
        try {
            valid = validation.apply(spec);
        } catch (SpecException expected) {
            return; // a field out of its rules: fine
        }
        assertThat(validation.apply(valid)).isEqualTo(valid);
        T reread = Json.STRICT.readValue(Json.STRICT.writeValueAsBytes(valid), type);
        assertThat(validation.apply(reread)).isEqualTo(valid);
    }
}
