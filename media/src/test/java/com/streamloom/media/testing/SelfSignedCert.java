package com.streamloom.media.testing;

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
 * A self-signed certificate for localhost and 127.0.0.1 made by the openssl CLI (what an operator would run), with
 * its key in the PEM encodings a node accepts, and an {@link SSLContext} that trusts exactly this certificate.
 *
 * <pre>{@code
 * SelfSignedCert cert = SelfSignedCert.rsa(tempDir);
 * HttpClient client = HttpClient.newBuilder().sslContext(cert.trustingContext()).build();
 * }</pre>
 */
public record SelfSignedCert(Path certFile, Path keyFile) {

    /** An RSA 2048 certificate; the key is PKCS#8 ({@code BEGIN PRIVATE KEY}), OpenSSL 3's default. */
    public static SelfSignedCert rsa(Path dir) {
        return create(dir, "rsa", List.of("-newkey", "rsa:2048"));
    }

    /** A P-256 ECDSA certificate with a PKCS#8 key. */
    public static SelfSignedCert ec(Path dir) {
        return create(dir, "ec", List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
    }

    private static SelfSignedCert create(Path dir, String name, List<String> keyArgs) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> cmd = new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(),
                "-out", cert.toString()));
        cmd.addAll(3, keyArgs);
        openssl(cmd);
        return new SelfSignedCert(cert, key);
    }

    /** The same RSA key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as cert-manager writes tls.key by default. */
    public Path pkcs1Key() {
        Path out = keyFile.resolveSibling(keyFile.getFileName() + ".pkcs1");
        openssl(List.of("rsa", "-traditional", "-in", keyFile.toString(), "-out", out.toString()));
        return out;
    }

    /** The same EC key in SEC1 ({@code BEGIN EC PRIVATE KEY}). */
    public Path sec1Key() {
        Path out = keyFile.resolveSibling(keyFile.getFileName() + ".sec1");
        openssl(List.of("ec", "-in", keyFile.toString(), "-out", out.toString()));
        return out;
    }

    /** A TLS client context whose only trusted authority is this certificate. */
    public SSLContext trustingContext() {
        try (InputStream in = Files.newInputStream(certFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("self", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + certFile, e);
        }
    }

    private static void openssl(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(args);
        try {
            Process p = ChildProcesses.track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n"
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (the test needs the openssl CLI)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
