package com.streamloom.control.cluster;

import com.streamloom.control.persistence.ClusterKeyEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * The token an edge shows a compositor when it pushes one composition input: HMAC-SHA256 of the composition id and
 * the input's stream name under a key only the control API replicas hold (the database's {@code cluster_keys} row
 * {@code forward}, made at first start). It opens that input of that composition and nothing else; the compositor
 * gets only its SHA-256 in its desired state, so it cannot mint tokens either.
 *
 * <p>Under the same key, {@link #controlToken} is what the control API shows when it calls one node's write API
 * (captions, heartbeat-now): that node gets only its hash, so no node can call another, and the join token, which
 * every node holds to enrol, opens no node.
 */
@ApplicationScoped
public class ForwardTokens {
    static final String KEY_NAME = "forward";

    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    private volatile SecretKeySpec key;

    void start(@Observes StartupEvent event) {
        key();
    }

    /** The token that lets an edge push {@code inputStream} into composition {@code compositionId}. */
    public String token(String compositionId, String inputStream) {
        return mac(compositionId + "/" + inputStream);
    }

    /** The token the control API shows when it calls node {@code nodeId}'s write API. */
    public String controlToken(String nodeId) {
        // A newline cannot occur in a composition id, so no forward token's message equals this one.
        return mac("node-call\n" + nodeId);
    }

    private String mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            byte[] tag = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(Base64.getUrlDecoder().decode(loadOrCreate()), "HmacSHA256");
                }
                k = key;
            }
        }
        return k;
    }

    /** Reads the key; the first replica to start makes it (another that raced it reads the winner's). */
    private String loadOrCreate() {
        String existing = QuarkusTransaction.requiringNew().call(this::read);
        if (existing != null) {
            return existing;
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ClusterKeyEntity e = new ClusterKeyEntity();
                e.name = KEY_NAME;
                e.keyValue = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
                e.createdAt = clock.millis();
                em.persist(e);
            });
        } catch (RuntimeException raced) {
            // another replica inserted the row first: use its key
        }
        String stored = QuarkusTransaction.requiringNew().call(this::read);
        if (stored == null) {
            throw new IllegalStateException("the forward key could not be stored in cluster_keys");
        }
        return stored;
    }

    private String read() {
        ClusterKeyEntity e = em.find(ClusterKeyEntity.class, KEY_NAME);
        return e == null ? null : e.keyValue;
    }
}
