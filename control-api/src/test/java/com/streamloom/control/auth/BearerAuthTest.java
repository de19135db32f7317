package com.streamloom.control.auth;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up checks of the tokens and which presented token is which role, without the HTTP stack. */
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

    @Test
    void eachTokenHasItsRole() {
        BearerAuth auth = new BearerAuth();
        auth.useTokens(ADMIN, NODE, Optional.of(METRICS));
        assertThat(auth.role("Bearer " + ADMIN)).isEqualTo(BearerAuth.Role.ADMIN);
        assertThat(auth.role("bearer " + NODE)).isEqualTo(BearerAuth.Role.NODE);
        assertThat(auth.role("Bearer " + METRICS)).isEqualTo(BearerAuth.Role.METRICS);
        assertThat(auth.role("Bearer " + METRICS.substring(1))).isNull();
        assertThat(auth.role("Bearer ")).isNull();
        assertThat(auth.role(METRICS)).isNull();
        assertThat(auth.role(null)).isNull();
    }

    @Test
    void withoutAMetricsTokenNothingIsTheMetricsRole() {
        BearerAuth auth = new BearerAuth();
        auth.useTokens(ADMIN, NODE, Optional.empty());
        assertThat(auth.role("Bearer " + ADMIN)).isEqualTo(BearerAuth.Role.ADMIN);
        assertThat(auth.role("Bearer " + NODE)).isEqualTo(BearerAuth.Role.NODE);
        assertThat(auth.role("Bearer " + METRICS)).isNull();
        assertThat(auth.role("Bearer")).isNull();
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
