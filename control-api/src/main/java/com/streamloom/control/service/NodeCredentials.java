package com.streamloom.control.service;

import com.streamloom.control.api.ApiException;
import com.streamloom.control.persistence.NodeCredentialEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Each node's own credential, bound to its node id: issued once when the node enrols with the cluster's join token,
 * shown only in that answer, stored only as its SHA-256. Heartbeats check it from memory (no query on the event
 * loop); a credential another replica issued is looked up once ({@link #lookup}), and {@link #reload} brings in
 * other replicas' enrolments and revocations.
 *
 * <p>Re-enrolment: enrolling again replaces the node's credential (a node that lost its credential file gets a new
 * one and the old one stops working). A revoked node cannot enrol again until an admin clears the revocation.
 */
@ApplicationScoped
public class NodeCredentials {
    private static final Logger LOG = Logger.getLogger(NodeCredentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Marks the credentials this service issues, so a token of another shape never costs a database lookup. */
    static final String PREFIX = "sln1_";
    private static final int SECRET_BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile(PREFIX + "[A-Za-z0-9_-]{43}");

    @Inject
    EntityManager em;
    @Inject
    Clock clock;

    /** SHA-256 (hex) of every live credential, to the node id it names. */
    private final ConcurrentHashMap<String, String> nodeBySecretHash = new ConcurrentHashMap<>();
    private long localWrites;

    /** The node a presented credential names, from memory; empty when unknown here (see {@link #lookup}). */
    public Optional<String> nodeOf(String presented) {
        return Optional.ofNullable(nodeBySecretHash.get(StreamKeys.hash(presented)));
    }

    /** Whether {@code presented} has the shape of a credential this service issues (worth a {@link #lookup}). */
    public boolean mayBeCredential(String presented) {
        return SHAPE.matcher(presented).matches();
    }

    /**
     * Looks a credential up in the database (blocking: call it off the event loop), for one that another replica
     * issued since this one last {@linkplain #reload reloaded}; remembers what it finds.
     */
    public Optional<String> lookup(String presented) {
        String hash = StreamKeys.hash(presented);
        List<String> found = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select c.nodeId from NodeCredentialEntity c where c.secretSha256 = :h", String.class)
                .setParameter("h", hash).getResultList());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        nodeBySecretHash.put(hash, found.get(0));
        return Optional.of(found.get(0));
    }

    /** Issues a fresh credential for the node, replacing any earlier one; 403 while the node is revoked. */
    public String enrol(String nodeId) {
        String credential = PREFIX + random();
        String hash = StreamKeys.hash(credential);
        Transactions.run(() -> {
            NodeCredentialEntity e = em.find(NodeCredentialEntity.class, nodeId);
            if (e != null && e.revokedAt != null) {
                throw new ApiException(403, "node " + nodeId + " is revoked; an admin must clear the revocation "
                        + "(DELETE /api/v1/nodes/" + nodeId + "/revocation) before it can enrol again", null);
            }
            if (e == null) {
                e = new NodeCredentialEntity();
                e.nodeId = nodeId;
                e.secretSha256 = hash;
                e.issuedAt = clock.millis();
                em.persist(e);
            } else {
                e.secretSha256 = hash;
                e.issuedAt = clock.millis();
            }
        }, "node " + nodeId + " is enrolling concurrently; try again");
        synchronized (this) {
            localWrites++;
            nodeBySecretHash.values().removeIf(nodeId::equals);
            nodeBySecretHash.put(hash, nodeId);
        }
        LOG.infof("node %s enrolled", nodeId);
        return credential;
    }

    /** Revokes the node's credential: its calls are refused from now on, and it cannot enrol again. */
    public void revoke(String nodeId) {
        Transactions.run(() -> {
            NodeCredentialEntity e = em.find(NodeCredentialEntity.class, nodeId);
            if (e == null) {
                e = new NodeCredentialEntity();
                e.nodeId = nodeId;
                e.issuedAt = clock.millis();
                em.persist(e);
            }
            e.secretSha256 = null;
            e.revokedAt = clock.millis();
        }, "node " + nodeId + " is changing concurrently; try again");
        synchronized (this) {
            localWrites++;
            nodeBySecretHash.values().removeIf(nodeId::equals);
        }
        LOG.infof("node %s revoked", nodeId);
    }

    /** Lets a revoked node enrol again; 404 when it is not revoked. */
    public void clearRevocation(String nodeId) {
        Transactions.run(() -> {
            NodeCredentialEntity e = em.find(NodeCredentialEntity.class, nodeId);
            if (e == null || e.revokedAt == null) {
                throw ApiException.notFound("revoked node", nodeId);
            }
            em.remove(e);
        }, null);
        LOG.infof("node %s may enrol again", nodeId);
    }

    /**
     * Replaces the in-memory credentials with the database's (at start, and periodically for other replicas'
     * changes). A snapshot read while this replica wrote is dropped: it may predate the write.
     */
    public void reload() {
        long before;
        synchronized (this) {
            before = localWrites;
        }
        Map<String, String> loaded = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                        "from NodeCredentialEntity c where c.secretSha256 is not null", NodeCredentialEntity.class)
                .getResultList().forEach(e -> loaded.put(e.secretSha256, e.nodeId)));
        synchronized (this) {
            if (localWrites != before) {
                return;
            }
            nodeBySecretHash.keySet().retainAll(loaded.keySet());
            nodeBySecretHash.putAll(loaded);
        }
    }

    private static String random() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
