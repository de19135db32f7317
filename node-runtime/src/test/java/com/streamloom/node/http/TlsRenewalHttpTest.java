package com.streamloom.node.http;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.media.testing.SelfSignedCert;
import com.streamloom.media.tls.PemTls;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A certificate renewed on disk (as cert-manager rewrites a mounted Secret) is served without a restart. */
class TlsRenewalHttpTest {
    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateIsServedToNewConnections() throws Exception {
        SelfSignedCert first = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("first")));
        SelfSignedCert second = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("second")));
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(first.certFile(), cert);
        Files.copy(first.keyFile(), key);
        try (MediaHttpServer server = new MediaHttpServer(HttpServerSettings.defaults(0).withHost("127.0.0.1"),
                new HlsStreams(), null)) {
            server.route(HttpMethod.GET, "/api/ping", request -> ApiResponse.json(Map.of("answer", "pong")));
            server.tls(PemTls.load(cert, key)).start();
            assertThat(ping(server, first)).isEqualTo(200);

            Files.copy(second.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
            FileTime later = FileTime.from(Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(cert, later);
            Files.setLastModifiedTime(key, later);
            // the connection that notices the change may still get the old certificate; the next ones the new
            await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> ping(server, second) == 200);
        }
    }

    private static int ping(MediaHttpServer server, SelfSignedCert trusted) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusted.trustingContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/api/ping"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
