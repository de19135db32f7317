package com.streamloom.control.auth;

import com.streamloom.control.service.NodeCredentials;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up checks of the tokens, which presented token is which role and what each role may call, without the HTTP stack. */
class BearerAuthTest {
    static final String ADMIN = "Kd83hQw-ZpT4mVx9LbN2rYc7";
    static final String NODE = "u7GfR2kXq9WmP4sZ8tBvN3yA";
    static final String METRICS = "Xm4Tq8LwZ2pR7vKc9bNf3HdJ";

    @Test
    void refusesAShortPlaceholderOrLowEntropyTokenNamingTheSetting() {
        assertThatThrownBy(() -> BearerAuth.validate(ADMIN, NODE, Optional.of("Xm4Tq8LwZ2pR7vKc9bNf3Hd")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamloom.metrics-token").hasMessageContaining("24 characters");
        assertThatThrownBy(() -> BearerAuth.validate("change-me-admin-Kd83hQwZpT4mVx9", NODE, Optional.empty()))
                .hasMessageContaining("streamloom.admin-token").hasMessageContaining("placeholder");
        assertThatThrownBy(() -> BearerAuth.validate(ADMIN, "nodenodenodenodenodenode", Optional.empty()))
                .hasMessageContaining("streamloom.node-token").hasMessageContaining("entropy");
        // Random values of 24 characters are enough.
        BearerAuth.validate(ADMIN, NODE, Optional.of(METRICS));
        BearerAuth.validate(ADMIN, NODE, Optional.empty());
    }

    @Test
    void refusesAMetricsTokenEqualToTheAdminOrNodeToken() {
        for (String same : new String[]{ADMIN, NODE}) {
            assertThatThrownBy(() -> BearerAuth.validate(ADMIN, NODE, Optional.of(same)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("streamloom.metrics-token").hasMessageContaining("must differ");
        }
        assertThatThrownBy(() -> BearerAuth.validate(ADMIN, ADMIN, Optional.of(METRICS)))
                .hasMessageContaining("must differ");
    }

    /** The role of the token in an Authorization header, or null when there is none or it is unknown. */
    private static BearerAuth.Role role(BearerAuth auth, String header) {
        String token = BearerAuth.bearer(header);
        BearerAuth.Caller caller = token == null ? null : auth.caller(token);
        return caller == null ? null : caller.role();
    }

    private static BearerAuth withTokens(Optional<String> metrics) {
        BearerAuth auth = new BearerAuth();
        auth.credentials = new NodeCredentials();
        auth.useTokens(ADMIN, NODE, metrics);
        return auth;
    }

    @Test
    void eachTokenHasItsRole() {
        BearerAuth auth = withTokens(Optional.of(METRICS));
        assertThat(role(auth, "Bearer " + ADMIN)).isEqualTo(BearerAuth.Role.ADMIN);
        assertThat(role(auth, "bearer " + NODE)).isEqualTo(BearerAuth.Role.JOIN);
        assertThat(role(auth, "Bearer " + METRICS)).isEqualTo(BearerAuth.Role.METRICS);
        assertThat(role(auth, "Bearer " + METRICS.substring(1))).isNull();
        assertThat(role(auth, "Bearer ")).isNull();
        assertThat(role(auth, METRICS)).isNull();
        assertThat(role(auth, null)).isNull();
    }

    @Test
    void withoutAMetricsTokenNothingIsTheMetricsRole() {
        BearerAuth auth = withTokens(Optional.empty());
        assertThat(role(auth, "Bearer " + ADMIN)).isEqualTo(BearerAuth.Role.ADMIN);
        assertThat(role(auth, "Bearer " + NODE)).isEqualTo(BearerAuth.Role.JOIN);
        assertThat(role(auth, "Bearer " + METRICS)).isNull();
        assertThat(role(auth, "Bearer")).isNull();
    }

    @Test
    void aNodeCredentialCallsOnlyItsOwnHeartbeatAndPublishCheck() {
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/edge-a/heartbeat")).isNull();
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/edge-a/publish-check")).isNull();
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/edge-b/heartbeat")).contains("another node id");
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/EDGE-A/heartbeat")).contains("another node id");
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/edge-a/enrol")).contains("only heartbeat");
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes")).contains("only heartbeat");
        assertThat(BearerAuth.nodeCall("edge-a", "/api/v1/nodes/edge-a/heartbeat/x")).contains("only heartbeat");
    }

    @Test
    void theMetricsTokenReadsOnlyGetOnTheMetricsPaths() {
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/q/metrics")).isTrue();
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/q/metrics/")).isTrue();
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/q/metrics/json")).isTrue();
        assertThat(BearerAuth.metricsRead(HttpMethod.POST, "/q/metrics")).isFalse();
        assertThat(BearerAuth.metricsRead(HttpMethod.DELETE, "/q/metrics")).isFalse();
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/q/metricsx")).isFalse();
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/api/v1/streams")).isFalse();
        assertThat(BearerAuth.metricsRead(HttpMethod.GET, "/api/v1/nodes/n/heartbeat")).isFalse();
    }
}
