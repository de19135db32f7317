package com.streamloom.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The node token of a standalone node that was given none: a node's write API always needs a token, so one is
 * generated at the first start, kept beside the config file (owner read/write only, mode 0600) and printed to the
 * console that once, so the operator can copy it. Later starts read it back and print nothing; no log line ever
 * contains it.
 *
 * <p>Location: {@code STREAMLOOM_NODE_TOKEN_FILE}, or {@code <config name>.node-token} beside the config file
 * ({@code edge.json} gives {@code edge.node-token}), or {@code streamloom-node.token} in the working directory
 * when there is no config file.
 */
public final class NodeTokenFile {
    private static final Logger log = LoggerFactory.getLogger(NodeTokenFile.class);
    /** 32 random bytes: 43 URL-safe characters, well above the control API's minimum length and entropy. */
    static final int TOKEN_BYTES = 32;
    /** Shorter file contents are refused rather than used: a hand-edited stub must not open the write API. */
    static final int MIN_TOKEN_LENGTH = 24;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeTokenFile() {
    }

    /**
     * The config with a node token: unchanged when it has one or is not standalone, else with the token from
     * (or newly written to) the token file.
     */
    public static NodeConfig ensureToken(NodeConfig config, Path configFile, Map<String, String> env,
                                         PrintStream console) throws IOException {
        if (!config.standalone() || config.nodeToken() != null) {
            return config;
        }
        return config.withNodeToken(loadOrCreate(location(configFile, env), console));
    }

    static Path location(Path configFile, Map<String, String> env) {
        String explicit = env.get("STREAMLOOM_NODE_TOKEN_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        if (configFile == null) {
            return Path.of("streamloom-node.token");
        }
        String name = configFile.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return configFile.toAbsolutePath().resolveSibling(base + ".node-token");
    }

    /** Reads the token from {@code file}, or generates it, writes it there (0600) and prints it to {@code console}. */
    static String loadOrCreate(Path file, PrintStream console) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        try {
            write(file, token);
        } catch (FileAlreadyExistsException e) {
            return read(file); // another process started at the same moment and won
        }
        log.info("generated a node token for the write API; it is kept in {} (mode 0600)", file);
        console.println("This standalone node's write API (captions, spec changes) needs a node token. Generated one,");
        console.println("shown only this once and kept in " + file + " (mode 0600):");
        console.println();
        console.println("    " + token);
        console.println();
        console.println("Send it as 'Authorization: Bearer <token>'.");
        console.flush();
        return token;
    }

    private static String read(Path file) throws IOException {
        if (isPosix(file) && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            log.warn("{} was readable by others; its mode is now 0600", file);
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IOException(file + " holds no usable node token (at least " + MIN_TOKEN_LENGTH
                    + " characters); delete it to have a new one generated");
        }
        log.info("node token for the write API read from {}", file);
        return token;
    }

    private static void write(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (isPosix(dir == null ? file.toAbsolutePath() : dir)) {
            // Created with mode 0600 in one step, so there is no moment in which others could read it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
