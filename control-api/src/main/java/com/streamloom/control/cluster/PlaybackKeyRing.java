package com.streamloom.control.cluster;

import com.streamloom.control.ControlConfig;
import com.streamloom.control.persistence.PlaybackKeyEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's playback keys, kept in the database (so every replica signs and answers with the same ones) and in
 * memory (a heartbeat never waits for the database): the newest key, and the one it replaced until
 * {@code streamloom.playback.key-grace} after the rotation. Both verify tokens on the nodes, which get them in the
 * heartbeat answer; the newest signs once it is {@code key-activation} old. Rotating twice in a row drops the old
 * key at once (for a key that leaked). Keys are 32 random bytes in base64url and never appear in answers or logs.
 */
@ApplicationScoped
public class PlaybackKeyRing {
    private static final Logger LOG = Logger.getLogger(PlaybackKeyRing.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int KEY_BYTES = 32;

    /** A key as loaded; times in epoch milliseconds, {@code retiredAt} null while it is the newest. */
    record Key(String id, String secret, long createdAt, Long retiredAt) {
        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /** What a rotation did, without any secret. */
    public record Rotation(String keyId, long createdAt, Long previousValidUntil) {
    }

    @Inject
    EntityManager em;
    @Inject
    Clock clock;
    @Inject
    ControlConfig config;

    /** The newest key first, then the previous one; loaded from the database. */
    private volatile List<Key> keys = List.of();
    private volatile List<String> accepted = List.of();
    private final AtomicLong changes = new AtomicLong();

    /** At start: makes the first key if there is none, then loads them. */
    public void load() {
        QuarkusTransaction.requiringNew().run(() -> {
            Long count = em.createQuery("select count(k) from PlaybackKeyEntity k", Long.class).getSingleResult();
            if (count == 0) {
                em.persist(newKey(clock.millis()));
            }
        });
        refresh();
    }

    /**
     * Reloads the keys (another replica may have rotated) and drops the previous one once its grace period is over;
     * {@link #changes()} moves when the accepted keys changed, so heartbeat answers are rebuilt.
     */
    public void refresh() {
        List<PlaybackKeyEntity> rows = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "from PlaybackKeyEntity k order by k.createdAt desc, k.id desc", PlaybackKeyEntity.class)
                .setMaxResults(2).getResultList());
        List<Key> loaded = rows.stream().map(r -> new Key(r.id, r.secret, r.createdAt, r.retiredAt)).toList();
        long now = clock.millis();
        List<String> valid = new ArrayList<>();
        for (Key k : loaded) {
            if (k.retiredAt() == null || k.retiredAt() + config.playback().keyGrace().toMillis() > now) {
                valid.add(k.secret());
            }
        }
        keys = loaded;
        if (!valid.equals(accepted)) {
            accepted = List.copyOf(valid);
            changes.incrementAndGet();
        }
    }

    /** The keys nodes accept, newest first (what the heartbeat answer carries). */
    public List<String> accepted() {
        return accepted;
    }

    /** Moves whenever {@link #accepted()} changes. */
    public long changes() {
        return changes.get();
    }

    /**
     * The key that signs a token now: the newest once it is old enough for every node to have it, else the one
     * before it while that is still accepted.
     */
    public String signingKey() {
        List<Key> now = keys;
        if (now.isEmpty()) {
            throw new IllegalStateException("no playback key loaded yet");
        }
        Key newest = now.get(0);
        boolean young = clock.millis() - newest.createdAt() < config.playback().keyActivation().toMillis();
        if (young && now.size() > 1 && accepted.contains(now.get(1).secret())) {
            return now.get(1).secret();
        }
        return newest.secret();
    }

    /**
     * Makes a new newest key; the current one stays accepted for the grace period, and any older one is deleted.
     */
    public Rotation rotate() {
        long now = clock.millis();
        PlaybackKeyEntity created = newKey(now);
        long graceEnd = now + config.playback().keyGrace().toMillis();
        QuarkusTransaction.requiringNew().run(() -> {
            List<PlaybackKeyEntity> older = em.createQuery(
                    "from PlaybackKeyEntity k order by k.createdAt desc, k.id desc", PlaybackKeyEntity.class)
                    .getResultList();
            for (int i = 0; i < older.size(); i++) {
                PlaybackKeyEntity k = older.get(i);
                if (i == 0 && k.retiredAt == null) {
                    k.retiredAt = now;
                } else {
                    em.remove(k);
                }
            }
            // strictly after the key it replaces, so which one is the newest never depends on the random id
            created.createdAt = Math.max(now, older.isEmpty() ? now : older.get(0).createdAt + 1);
            em.persist(created);
        });
        refresh();
        boolean previousKept = keys.size() > 1 && accepted.size() > 1;
        LOG.infof("playback key rotated: %s is the newest%s", created.id,
                previousKept ? ", the previous one is accepted for " + config.playback().keyGrace() : "");
        return new Rotation(created.id, created.createdAt, previousKept ? graceEnd : null);
    }

    private static PlaybackKeyEntity newKey(long now) {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        PlaybackKeyEntity k = new PlaybackKeyEntity();
        k.id = UUID.randomUUID().toString();
        k.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        k.createdAt = now;
        return k;
    }
}
