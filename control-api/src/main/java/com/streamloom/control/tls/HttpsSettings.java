package com.streamloom.control.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * HTTPS for the control API from two PEM files, off until both are named: {@code streamloom.tls.cert-file} and
 * {@code streamloom.tls.key-file} (env {@code STREAMLOOM_TLS_CERT_FILE}, {@code STREAMLOOM_TLS_KEY_FILE}; the
 * {@code tls.crt} and {@code tls.key} of a Kubernetes TLS Secret). When they are, this writes the Quarkus TLS
 * registry settings for them:
 * <ul>
 *   <li>a TLS configuration named {@value #TLS_CONFIGURATION} with the PEM pair, reread every
 *       {@code streamloom.tls.reload-period} (default 1h) so a renewed certificate is served without a restart;</li>
 *   <li>{@code quarkus.http.tls-configuration-name} pointing the HTTP server at it (HTTPS on
 *       {@code quarkus.http.ssl-port}, 8443);</li>
 *   <li>{@code quarkus.http.insecure-requests=disabled}: the plain port closes. Quarkus' own setting, so
 *       {@code QUARKUS_HTTP_INSECURE_REQUESTS=redirect} or {@code enabled} keeps it where TLS ends in front.</li>
 * </ul>
 * Its ordinal (200) is below application.properties and the environment, so any of these can still be set there.
 */
public final class HttpsSettings implements ConfigSourceFactory {
    public static final String TLS_CONFIGURATION = "streamloom-https";
    static final String CERT_FILE = "streamloom.tls.cert-file";
    static final String KEY_FILE = "streamloom.tls.key-file";
    static final String RELOAD_PERIOD = "streamloom.tls.reload-period";
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String cert = value(context, CERT_FILE);
        String key = value(context, KEY_FILE);
        if (cert == null && key == null) {
            return List.of();
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException(CERT_FILE + " and " + KEY_FILE
                    + " (STREAMLOOM_TLS_CERT_FILE, STREAMLOOM_TLS_KEY_FILE) turn HTTPS on together; only "
                    + (cert == null ? KEY_FILE : CERT_FILE) + " is set");
        }
        String reload = value(context, RELOAD_PERIOD);
        String prefix = "quarkus.tls.\"" + TLS_CONFIGURATION + "\".";
        return List.of(new PropertiesConfigSource(Map.of(
                prefix + "key-store.pem.main.cert", cert,
                prefix + "key-store.pem.main.key", key,
                prefix + "reload-period", reload != null ? reload : "1h",
                "quarkus.http.tls-configuration-name", TLS_CONFIGURATION,
                "quarkus.http.insecure-requests", "disabled"), "StreamLoom HTTPS settings", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue().trim();
    }
}
