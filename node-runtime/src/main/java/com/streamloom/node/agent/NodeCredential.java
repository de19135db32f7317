package com.streamloom.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * This node's own credential towards the control API. The node enrols once with the cluster's join token
 * ({@code POST /api/v1/nodes/{id}/enrol}) and keeps the answer in a file readable by its owner only (mode 0600), so
 * a restart reuses it; the join token itself opens nothing but enrolment. When the control API refuses the
 * credential (401: it was replaced or the database was reset), {@link #refused} forgets it and the next
 * {@link #get} enrols again. Shared by the node's heartbeat and its publish-checks.
 */
public final class NodeCredential {
    private static final Logger log = LoggerFactory.getLogger(NodeCredential.class);

    private final URI enrolUri;
    private final String nodeId;
    private final String joinToken;
    private final Path file;
    private final HttpClient http;
    private String credential;

    /**
     * @param joinToken the cluster's join token (the node's {@code nodeToken} setting)
     * @param file      where the credential is kept across restarts
     */
    public NodeCredential(String controlUrl, String nodeId, String joinToken, Path file) {
        this.enrolUri = URI.create(NodeAgent.stripSlash(controlUrl) + "/api/v1/nodes/" + nodeId + "/enrol");
        this.nodeId = nodeId;
        this.joinToken = joinToken;
        this.file = file;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The credential: remembered, else from the file, else enrolled now (and written to the file). */
    public synchronized String get() throws IOException, InterruptedException {
        if (credential == null) {
            credential = read(file);
        }
        if (credential == null) {
            credential = enrol();
            try {
                write(file, credential);
                log.info("node {} enrolled with the control API; credential kept in {}", nodeId, file);
            } catch (IOException | RuntimeException e) {
                // Still a working node: it enrols again after a restart, which replaces this credential.
                log.warn("node {} enrolled, but its credential cannot be kept in {} ({}); it lasts until this "
                        + "process stops", nodeId, file, e.toString());
            }
        }
        return credential;
    }

    /**
     * POSTs a JSON body to the control API as this node; when the credential is refused (401) it is forgotten, the
     * node enrols again and the call is retried once.
     */
    public HttpResponse<byte[]> postJson(HttpClient client, URI uri, byte[] body)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> resp = postOnce(client, uri, body);
        return resp.statusCode() == 401 ? postOnce(client, uri, body) : resp;
    }

    private HttpResponse<byte[]> postOnce(HttpClient client, URI uri, byte[] body)
            throws IOException, InterruptedException {
        String presented = get();
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "Bearer " + presented)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> resp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() == 401) {
            refused(presented);
        }
        return resp;
    }

    /** The control API answered 401 to {@code used}: forget it (and its file) so the next {@link #get} enrols. */
    public synchronized void refused(String used) throws IOException {
        if (used != null && used.equals(credential)) {
            log.warn("the control API refused node {}'s credential; enrolling again", nodeId);
            credential = null;
            Files.deleteIfExists(file);
        }
    }

    private String enrol() throws IOException, InterruptedException {
        if (joinToken == null) {
            throw new IOException("no node token (STREAMLOOM_NODE_TOKEN, the cluster's join token) to enrol with");
        }
        HttpRequest req = HttpRequest.newBuilder(enrolUri).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + joinToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            // the answer explains (wrong join token, node revoked); it never carries a credential
            throw new IOException("enrolment refused (" + resp.statusCode() + "): "
                    + new String(resp.body(), StandardCharsets.UTF_8));
        }
        JsonNode answer = NodeAgent.JSON.readTree(resp.body());
        String issued = answer.path("credential").asText("");
        if (issued.isEmpty()) {
            throw new IOException("the enrolment answer has no credential");
        }
        return issued;
    }

    /** The credential kept in {@code file}, or null when there is none. */
    static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? null : text;
    }

    /**
     * Writes the credential so that only this user can read it (0600 from creation, never briefly wider), replacing
     * the file atomically so a crash leaves the old or the new credential, not half of one.
     */
    static void write(Path file, String credential) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + tmp + " for the node credential", e);
        }
        Files.writeString(tmp, credential + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
