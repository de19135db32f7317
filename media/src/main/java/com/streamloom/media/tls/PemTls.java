package com.streamloom.media.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of TLS for a node's listeners, from a PEM certificate chain and a PEM private key (the files a
 * Kubernetes TLS Secret mounts as {@code tls.crt} and {@code tls.key}). The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}, RSA or EC) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, cert-manager's default).
 *
 * <p>A renewed certificate is picked up without a restart: each new connection asks {@link #context()}, which
 * rereads the files when their modification time changed; while a rewrite leaves them unreadable or mismatched,
 * the last good pair keeps serving. Key material never appears in an exception message or a log line.
 */
public final class PemTls {
    private static final Logger log = LoggerFactory.getLogger(PemTls.class);
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN (RSA |EC )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");
    /** AlgorithmIdentifier of rsaEncryption (RFC 8017 A.1) with its NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final Path certFile;
    private final Path keyFile;
    private SslContext context;
    private FileTime certTime;
    private FileTime keyTime;

    private PemTls(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /**
     * Reads and checks both files now, so a node with a bad certificate or key fails at start.
     *
     * @throws IllegalArgumentException naming the file that is missing, unreadable or not PEM, or saying that the
     *                                  key does not match the certificate
     */
    public static PemTls load(Path certFile, Path keyFile) {
        PemTls tls = new PemTls(certFile, keyFile);
        tls.reload();
        return tls;
    }

    /** The PEM certificate chain file, for servers that load PEM themselves (Vert.x PemKeyCertOptions). */
    public Path certFile() {
        return certFile;
    }

    /** The PEM private key file, for servers that load PEM themselves (Vert.x PemKeyCertOptions). */
    public Path keyFile() {
        return keyFile;
    }

    /** The context for the next connection; rereads the files if they changed since the last read. */
    public synchronized SslContext context() {
        try {
            if (!Files.getLastModifiedTime(certFile).equals(certTime)
                    || !Files.getLastModifiedTime(keyFile).equals(keyTime)) {
                reload();
                log.info("TLS certificate {} reloaded", certFile);
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("TLS certificate {} or key {} changed but cannot be used ({}); keeping the previous one",
                    certFile, keyFile, e.getMessage());
        }
        return context;
    }

    private void reload() {
        try {
            FileTime ct = Files.getLastModifiedTime(certFile);
            FileTime kt = Files.getLastModifiedTime(keyFile);
            X509Certificate[] chain = certificates(certFile);
            PrivateKey key = privateKey(keyFile);
            requireMatch(chain[0], key);
            SslContext next = SslContextBuilder.forServer(key, chain).build();
            context = next;
            certTime = ct;
            keyTime = kt;
        } catch (SSLException e) {
            throw new IllegalArgumentException("TLS certificate " + certFile + " and key " + keyFile
                    + " cannot be used: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS file: " + e.getMessage());
        }
    }

    /** A key that belongs to another certificate would fail every handshake; refuse it at load instead. */
    private void requireMatch(X509Certificate leaf, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "streamloom tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new IllegalArgumentException("TLS key " + keyFile + " does not belong to the first certificate in "
                + certFile);
    }

    private static X509Certificate[] certificates(Path file) throws IOException {
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("TLS certificate " + file + " holds no PEM certificate");
            }
            return chain.toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS certificate " + file + " is not a PEM X.509 certificate");
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher m = PEM_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException("TLS key " + file + " holds no unencrypted PEM private key (BEGIN"
                    + " PRIVATE KEY or BEGIN RSA PRIVATE KEY; for others run openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS key " + file + " is not valid base64");
        }
        if ("EC ".equals(m.group(1))) {
            throw new IllegalArgumentException("TLS key " + file + " is a SEC1 EC key; convert it to PKCS#8 with"
                    + " openssl pkcs8 -topk8 -nocrypt (or set privateKey.encoding: PKCS8 in cert-manager)");
        }
        byte[] pkcs8 = "RSA ".equals(m.group(1)) ? Der.sequence(Der.integerZero(), RSA_ALGORITHM,
                Der.octetString(der)) : der;
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException("TLS key " + file + " is not an RSA, EC or Ed25519 private key");
    }

    /** The few DER encodings (ITU-T X.690 8.1) needed to wrap a PKCS#1 key as PKCS#8 (RFC 5208 5). */
    private static final class Der {
        static byte[] integerZero() {
            return new byte[]{0x02, 0x01, 0x00};
        }

        static byte[] octetString(byte[] content) {
            return tagged(0x04, content);
        }

        static byte[] sequence(byte[]... parts) {
            int n = 0;
            for (byte[] p : parts) {
                n += p.length;
            }
            byte[] content = new byte[n];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, content, at, p.length);
                at += p.length;
            }
            return tagged(0x30, content);
        }

        private static byte[] tagged(int tag, byte[] content) {
            int len = content.length;
            int lengthBytes = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : 3;
            byte[] out = new byte[2 + lengthBytes + len];
            out[0] = (byte) tag;
            if (lengthBytes == 0) {
                out[1] = (byte) len;
            } else {
                out[1] = (byte) (0x80 | lengthBytes);
                for (int i = 0; i < lengthBytes; i++) {
                    out[2 + i] = (byte) (len >>> (8 * (lengthBytes - 1 - i)));
                }
            }
            System.arraycopy(content, 0, out, 2 + lengthBytes, len);
            return out;
        }
    }
}
