package com.streamloom.control.auth;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up checks of the tokens and which presented token is which role, without the HTTP stack. */
class BearerAuthTest {
    static final String ADMIN = "admin-token-123";
    static final String NODE = "node-token-1234";
    static final String METRICS = "metrics-token-12";

    @Test
    void refusesAShortMetricsToken() {
        assertThatThrownBy(() -> BearerAuth.validate(ADMIN, NODE, Optional.of("short-token")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamloom.metrics-token").hasMessageContaining("12 characters");
        // Twelve characters are enough.
        BearerAuth.validate(ADMIN, NODE, Optional.of("twelve-chars"));
    }

    @Test
    void refusesAMetricsTokenEqualToTheAdminOrNodeToken() {
        for (String same : new String[]{ADMIN, NODE}) {
            assertThatThrownBy(() -> BearerAuth.validate(ADMIN, NODE, Optional.of(same)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("streamloom.metrics-token").hasMessageContaining("must differ");
        }
    }

    @Test
    void theExistingChecksStillApply() {
        assertThatThrownBy(() -> BearerAuth.validate("short", NODE, Optional.empty()))
                .hasMessageContaining("12 characters");
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
