package com.streamloom.media.tls;

import com.streamloom.media.testing.SelfSignedCert;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node accepts the PEM files operators and cert-manager write, refuses unusable ones clearly, follows renewals. */
class PemTlsTest {
    @TempDir
    Path dir;

    @Test
    void loadsAnRsaCertificateWithAPkcs8Key() {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        assertThat(PemTls.load(cert.certFile(), cert.keyFile()).context().isServer()).isTrue();
    }

    @Test
    void loadsAPkcs1RsaKeyAsCertManagerWritesIt() throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        Path pkcs1 = cert.pkcs1Key();
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(PemTls.load(cert.certFile(), pkcs1).context().isServer()).isTrue();
    }

    @Test
    void loadsAnEcCertificateWithAPkcs8Key() {
        SelfSignedCert cert = SelfSignedCert.ec(dir);
        assertThat(PemTls.load(cert.certFile(), cert.keyFile()).context().isServer()).isTrue();
    }

    @Test
    void refusesASec1EcKeyWithTheCommandThatConvertsIt() {
        SelfSignedCert cert = SelfSignedCert.ec(dir);
        Path sec1 = cert.sec1Key();
        assertThatThrownBy(() -> PemTls.load(cert.certFile(), sec1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(sec1.toString()).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void refusesTheKeyOfAnotherCertificateWithoutShowingIt() throws Exception {
        SelfSignedCert one = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("one")));
        SelfSignedCert other = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("other")));
        String keyBody = Files.readString(other.keyFile()).lines().skip(1).findFirst().orElseThrow();
        assertThatThrownBy(() -> PemTls.load(one.certFile(), other.keyFile()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the first certificate")
                .hasMessageNotContaining(keyBody);
    }

    @Test
    void refusesAMissingFileNamingIt() {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        Path missing = dir.resolve("nope.key");
        assertThatThrownBy(() -> PemTls.load(cert.certFile(), missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void refusesAFileThatIsNoCertificate() throws Exception {
        SelfSignedCert cert = SelfSignedCert.rsa(dir);
        assertThatThrownBy(() -> PemTls.load(cert.keyFile(), cert.keyFile()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cert.keyFile().toString());
    }

    @Test
    void aRenewedCertificateIsServedFromTheNextConnectionAndABrokenRewriteKeepsTheLastGoodOne() throws Exception {
        SelfSignedCert first = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("first")));
        SelfSignedCert renewed = SelfSignedCert.rsa(Files.createDirectory(dir.resolve("renewed")));
        Path cert = Files.copy(first.certFile(), dir.resolve("tls.crt"));
        Path key = Files.copy(first.keyFile(), dir.resolve("tls.key"));
        PemTls tls = PemTls.load(cert, key);
        SslContext before = tls.context();
        assertThat(tls.context()).isSameAs(before);

        Files.copy(renewed.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.keyFile(), key, StandardCopyOption.REPLACE_EXISTING);
        touch(cert, key, 1);
        SslContext after = tls.context();
        assertThat(after).isNotSameAs(before);

        // half-way through a rewrite: the new certificate with the old key
        Files.copy(first.certFile(), cert, StandardCopyOption.REPLACE_EXISTING);
        touch(cert, key, 2);
        assertThat(tls.context()).isSameAs(after);
    }

    /** File systems with coarse timestamps would hide a quick rewrite; set distinct times explicitly. */
    private static void touch(Path cert, Path key, int minutes) throws Exception {
        FileTime t = FileTime.from(Instant.now().plusSeconds(60L * minutes));
        Files.setLastModifiedTime(cert, t);
        Files.setLastModifiedTime(key, t);
    }
}
