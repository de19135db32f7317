package com.streamloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs on the build machines, so the images are checked by reading their Dockerfiles and the
 * compose file: multi-stage build, a JRE runtime base, a non-root user, a health check on the service's own port,
 * and a compose file whose services point at Dockerfiles that exist.
 */
class ContainerImagesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @CsvSource({"control-api,8080", "edge-transcoder,8081", "cloud-compositor,8082"})
    void dockerfileIsMultiStageOnAJreAsNonRootWithAHealthCheck(String service, int httpPort) throws IOException {
        List<String> lines = instructions(Path.of("docker", service + ".Dockerfile"));
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).as("build stage and runtime stage").hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.get(0)).contains(" AS build");
        assertThat(froms.get(froms.size() - 1)).as("runtime base").contains("-jre");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("COPY --from=build"));

        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user.substring(5).trim()).as("runtime user").isNotIn("root", "0");
        int userAt = lines.indexOf(user);
        int entryAt = indexOfPrefix(lines, "ENTRYPOINT");
        assertThat(userAt).as("USER comes before ENTRYPOINT").isLessThan(entryAt);

        String health = lines.stream().filter(l -> l.startsWith("HEALTHCHECK")).findFirst().orElseThrow();
        assertThat(health).contains("http://127.0.0.1:" + httpPort + "/");
        String expose = lines.stream().filter(l -> l.startsWith("EXPOSE")).findFirst().orElseThrow();
        assertThat(expose).contains(String.valueOf(httpPort));
    }

    @ParameterizedTest
    @CsvSource({"control-api,60", "edge-transcoder,50", "cloud-compositor,50"})
    void heapIsAShareOfTheContainerMemoryWithANamedDefault(String service, int percent) throws IOException {
        List<String> lines = instructions(Path.of("docker", service + ".Dockerfile"));
        assertThat(lines).contains("ENV STREAMLOOM_MAX_RAM_PERCENTAGE=" + percent);
        String entry = lines.get(indexOfPrefix(lines, "ENTRYPOINT"));
        assertThat(entry).contains("exec java -XX:MaxRAMPercentage=${STREAMLOOM_MAX_RAM_PERCENTAGE} ${JAVA_OPTS:-} -jar");
    }

    @Test
    void composeRunsTheWholeSystemWithPostgresAndEveryBuildPointsAtAnExistingDockerfile() throws IOException {
        JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).get("services");
        assertThat(services.fieldNames()).toIterable().contains("postgres", "control-api", "edge", "compositor");
        services.fields().forEachRemaining(e -> {
            JsonNode build = e.getValue().get("build");
            if (build != null) {
                Path dockerfile = Path.of(build.get("context").asText()).resolve(build.get("dockerfile").asText());
                assertThat(Path.of(".").resolve(dockerfile)).as(e.getKey() + " Dockerfile").exists();
            }
        });
        JsonNode api = services.get("control-api").get("environment");
        assertThat(api.get("QUARKUS_DATASOURCE_DB_KIND").asText()).isEqualTo("postgresql");
        assertThat(api.get("QUARKUS_DATASOURCE_JDBC_URL").asText()).contains("//postgres:5432/");
        for (String node : List.of("edge", "compositor")) {
            assertThat(services.get(node).get("environment").get("STREAMLOOM_CONTROL_URL").asText())
                    .isEqualTo("http://control-api:8080");
        }
        assertThat(services.get("edge").get("ports").toString()).contains("1935:1935", "8081:8081");
        assertThat(services.get("compositor").get("ports").toString()).contains("1936:1936", "8082:8082");
    }

    /** Dockerfile instructions with line continuations joined and comments dropped. */
    static List<String> instructions(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(cur.append(line).toString());
                cur.setLength(0);
            }
        }
        return out;
    }

    static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix);
    }
}
