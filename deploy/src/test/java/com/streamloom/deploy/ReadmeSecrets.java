package com.streamloom.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kubernetes Secrets the README tells an operator to create: secret name to its keys. */
final class ReadmeSecrets {
    private static final Pattern CREATE = Pattern.compile("create secret generic ([a-z0-9-]+)");
    /** kubectl's TLS Secret: its keys are always tls.crt and tls.key. */
    private static final Pattern CREATE_TLS = Pattern.compile("create secret tls ([a-z0-9-]+)");
    private static final Pattern LITERAL = Pattern.compile("--from-literal=([a-z0-9-]+)=(\\S+)");

    private ReadmeSecrets() {
    }

    static Map<String, List<String>> created() throws IOException {
        // The README's shell commands continue over lines ending in a backslash: join them first.
        String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\\\\\n\\s*", " ");
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (String line : readme.split("\n")) {
            Matcher tls = CREATE_TLS.matcher(line);
            if (tls.find()) {
                secrets.put(tls.group(1), List.of("tls.crt", "tls.key"));
                continue;
            }
            Matcher create = CREATE.matcher(line);
            if (!create.find()) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            Matcher literal = LITERAL.matcher(line);
            while (literal.find()) {
                keys.add(literal.group(1));
                String value = literal.group(2);
                // Tokens are generated, never written out: a literal value here would be a shipped secret.
                if (literal.group(1).endsWith("token") && !value.startsWith("\"$(")) {
                    throw new AssertionError("README gives a literal value for " + literal.group(1));
                }
            }
            secrets.put(create.group(1), keys);
        }
        return secrets;
    }
}
