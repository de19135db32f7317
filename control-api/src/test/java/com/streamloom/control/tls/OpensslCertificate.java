package com.streamloom.control.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate for localhost made once per test JVM by the openssl CLI, with its key also in
 * PKCS#1 (cert-manager's default {@code tls.key}). The media nodes' tests have their own in media's test-jar, which
 * the control API must not depend on (it brings the native media libraries).
 */
record OpensslCertificate(Path certFile, Path keyFile, Path pkcs1KeyFile) {
    private static OpensslCertificate shared;

    static synchronized OpensslCertificate shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("control-api-tls");
                dir.toFile().deleteOnExit();
                Path cert = dir.resolve("tls.crt");
                Path key = dir.resolve("pkcs8.key");
                Path pkcs1 = dir.resolve("tls.key");
                openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(),
                        "-out", cert.toString());
                openssl("rsa", "-traditional", "-in", key.toString(), "-out", pkcs1.toString());
                List.of(cert, key, pkcs1).forEach(f -> f.toFile().deleteOnExit());
                shared = new OpensslCertificate(cert, key, pkcs1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A client context whose only trusted authority is this certificate. */
    SSLContext trustingContext() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(certFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("self", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }
    }

    private static void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
