package com.streamloom.control.tls;

import com.streamloom.control.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With streamloom.tls.cert-file and key-file set, the control API answers over HTTPS only, with that certificate. */
@QuarkusTest
@TestProfile(HttpsTest.WithCertificate.class)
class HttpsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The settings an operator gives: a certificate and cert-manager's default PKCS#1 key, made by openssl. */
    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            OpensslCertificate cert = OpensslCertificate.shared();
            return Map.of("streamloom.tls.cert-file", cert.certFile().toString(),
                    "streamloom.tls.key-file", cert.pkcs1KeyFile().toString(),
                    "quarkus.http.test-ssl-port", "0");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void theApiAnswersOverHttpsToAClientThatTrustsTheCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(OpensslCertificate.shared().trustingContext())
                .connectTimeout(TIMEOUT).build();
        assertThat(https.getProtocol()).isEqualTo("https");
        HttpResponse<String> health = client.send(get("q/health/ready").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> streams = client.send(get("api/v1/streams")
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(streams.statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = client.send(get("api/v1/streams").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient jvmDefaults = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        assertThatThrownBy(() -> jvmDefaults.send(get("q/health/ready").build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void noPlainHttpIsServed() {
        // no plain listener at all, and plain HTTP spoken to the HTTPS port gets no answer
        Config config = ConfigProvider.getConfig();
        assertThat(config.getValue("quarkus.http.insecure-requests", String.class)).isEqualTo("disabled");
        assertThat(config.getValue("quarkus.http.tls-configuration-name", String.class))
                .isEqualTo(HttpsSettings.TLS_CONFIGURATION);
        URI plain = URI.create("http://localhost:" + https.getPort() + "/q/health/ready");
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    private HttpRequest.Builder get(String path) throws Exception {
        return HttpRequest.newBuilder(https.toURI().resolve(path)).timeout(TIMEOUT).GET();
    }
}
