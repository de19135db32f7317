package com.streamloom.control.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS is off until both PEM files are named; then the Quarkus TLS registry serves them on the HTTPS port only. */
class HttpsSettingsTest {

    @Test
    void offUntilConfigured() {
        assertThat(sources(Map.of())).isEmpty();
        assertThat(sources(Map.of(HttpsSettings.CERT_FILE, " "))).isEmpty();
    }

    @Test
    void oneFileAloneIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> sources(Map.of(HttpsSettings.CERT_FILE, "/tls/tls.crt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STREAMLOOM_TLS_CERT_FILE").hasMessageContaining("STREAMLOOM_TLS_KEY_FILE")
                .hasMessageContaining("only streamloom.tls.cert-file is set");
    }

    @Test
    void bothFilesBecomeANamedTlsConfigurationOfTheHttpServer() {
        List<ConfigSource> sources = sources(Map.of(HttpsSettings.CERT_FILE, "/tls/tls.crt",
                HttpsSettings.KEY_FILE, "/tls/tls.key", HttpsSettings.RELOAD_PERIOD, "10m"));
        assertThat(sources).hasSize(1);
        ConfigSource s = sources.get(0);
        assertThat(s.getValue("quarkus.tls.\"streamloom-https\".key-store.pem.main.cert")).isEqualTo("/tls/tls.crt");
        assertThat(s.getValue("quarkus.tls.\"streamloom-https\".key-store.pem.main.key")).isEqualTo("/tls/tls.key");
        assertThat(s.getValue("quarkus.tls.\"streamloom-https\".reload-period")).isEqualTo("10m");
        assertThat(s.getValue("quarkus.http.tls-configuration-name")).isEqualTo("streamloom-https");
        assertThat(s.getValue("quarkus.http.insecure-requests")).isEqualTo("disabled");
        // below application.properties (250) and the environment (300): operators can still override each value
        assertThat(s.getOrdinal()).isLessThan(250);
    }

    private static List<ConfigSource> sources(Map<String, String> values) {
        ConfigSourceContext context = new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String v = values.get(name);
                return v == null ? null : ConfigValue.builder().withName(name).withValue(v).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
        List<ConfigSource> out = new ArrayList<>();
        new HttpsSettings().getConfigSources(context).forEach(out::add);
        return out;
    }
}
