package com.streamloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus scrape config and the Grafana dashboard point at what the services actually serve. */
class ObservabilityConfigTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prometheusScrapesEachServiceOnItsMetricsPathAndPort() throws IOException {
        Map<String, JsonNode> jobs = jobs();
        assertThat(jobs).containsKeys("control-api", "edge", "compositor", "kubernetes-control-api", "kubernetes-pods");
        assertJob(jobs.get("control-api"), "/q/metrics", "control-api:8080");
        assertJob(jobs.get("edge"), "/metrics", "edge:8081");
        assertJob(jobs.get("compositor"), "/metrics", "compositor:8082");
    }

    /** Where both setups put the admin token for Prometheus: Secret streamloom-tokens, key admin-token. */
    static final String TOKEN_FILE = "/etc/prometheus/secrets/streamloom-tokens/admin-token";

    @Test
    void prometheusSendsTheAdminTokenToTheControlApiAndNoTokenToTheNodes() throws IOException {
        Map<String, JsonNode> jobs = jobs();
        // BearerAuth guards /q/metrics with the admin token (ApiErrorsTest: 401 without it).
        for (String job : List.of("control-api", "kubernetes-control-api")) {
            JsonNode auth = jobs.get(job).get("authorization");
            assertThat(auth).as(job + " authorization").isNotNull();
            assertThat(auth.path("type").asText("Bearer")).as(job).isEqualTo("Bearer");
            assertThat(auth.path("credentials_file").asText()).as(job).isEqualTo(TOKEN_FILE);
        }
        // The nodes' /metrics is open; the admin token must not reach them.
        for (String job : List.of("edge", "compositor", "kubernetes-pods")) {
            for (String field : List.of("authorization", "bearer_token", "bearer_token_file", "basic_auth")) {
                assertThat(jobs.get(job).has(field)).as(job + " " + field).isFalse();
            }
        }
    }

    @Test
    void onKubernetesTheControlApiPodsAreScrapedWithTheTokenAndEveryOtherPodWithout() throws IOException {
        Map<String, JsonNode> jobs = jobs();
        KubernetesManifestsTest.parseAll();
        for (Deployment d : KubernetesManifestsTest.all(Deployment.class)) {
            Map<String, String> meta = new HashMap<>();
            d.getSpec().getTemplate().getMetadata().getLabels()
                    .forEach((k, v) -> meta.put("__meta_kubernetes_pod_label_" + sanitize(k), v));
            d.getSpec().getTemplate().getMetadata().getAnnotations()
                    .forEach((k, v) -> meta.put("__meta_kubernetes_pod_annotation_" + sanitize(k), v));
            List<String> scrapedBy = new ArrayList<>();
            for (String job : List.of("kubernetes-control-api", "kubernetes-pods")) {
                if (kept(jobs.get(job), meta)) {
                    scrapedBy.add(job);
                }
            }
            String name = d.getMetadata().getName();
            assertThat(scrapedBy).as(name).containsExactly(name.equals("control-api") ? "kubernetes-control-api"
                    : "kubernetes-pods");
        }
    }

    @Test
    void dockerComposeAndKubernetesGivePrometheusTheControlApisAdminToken() throws IOException {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
        JsonNode prometheus = compose.get("services").get("prometheus");
        String source = null;
        for (JsonNode c : prometheus.path("configs")) {
            if (TOKEN_FILE.equals(c.path("target").asText())) {
                source = c.get("source").asText();
            }
        }
        assertThat(source).as("a config mounted at " + TOKEN_FILE).isNotNull();
        // Same text as the control API's token, default included, so the two cannot drift apart.
        assertThat(compose.get("configs").get(source).get("content").asText()).isEqualTo(
                compose.get("services").get("control-api").get("environment").get("STREAMLOOM_ADMIN_TOKEN").asText());

        KubernetesManifestsTest.parseAll();
        Secret tokens = KubernetesManifestsTest.named(Secret.class, "streamloom-tokens");
        assertThat(tokens.getStringData()).containsKey("admin-token");
        EnvVar admin = KubernetesManifestsTest.container(KubernetesManifestsTest.named(Deployment.class, "control-api"))
                .getEnv().stream().filter(e -> e.getName().equals("STREAMLOOM_ADMIN_TOKEN")).findFirst().orElseThrow();
        assertThat(admin.getValueFrom().getSecretKeyRef().getName()).isEqualTo("streamloom-tokens");
        assertThat(admin.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin-token");
    }

    /** Applies a job's keep and drop relabel rules (Prometheus joins source labels with ';' and anchors the regex). */
    private static boolean kept(JsonNode job, Map<String, String> labels) {
        for (JsonNode rule : job.get("relabel_configs")) {
            String action = rule.path("action").asText("replace");
            if (!action.equals("keep") && !action.equals("drop")) {
                continue;
            }
            List<String> values = new ArrayList<>();
            rule.get("source_labels").forEach(l -> values.add(labels.getOrDefault(l.asText(), "")));
            boolean matches = String.join(rule.path("separator").asText(";"), values)
                    .matches(rule.path("regex").asText("(.*)"));
            if (action.equals("keep") != matches) {
                return false;
            }
        }
        return true;
    }

    /** Kubernetes service discovery's label names: every character outside [a-zA-Z0-9_] becomes '_'. */
    private static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static Map<String, JsonNode> jobs() throws IOException {
        JsonNode cfg = YAML.readTree(Path.of("observability/prometheus.yml").toFile());
        Map<String, JsonNode> jobs = new HashMap<>();
        cfg.get("scrape_configs").forEach(j -> jobs.put(j.get("job_name").asText(), j));
        return jobs;
    }

    @Test
    void kubernetesPodsAnnounceTheirMetricsPortAndPath() throws IOException {
        KubernetesManifestsTest.parseAll();
        for (Deployment d : KubernetesManifestsTest.all(Deployment.class)) {
            Map<String, String> ann = d.getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(ann).containsEntry("prometheus.io/scrape", "true");
            int port = Integer.parseInt(ann.get("prometheus.io/port"));
            assertThat(KubernetesManifestsTest.container(d).getPorts()).extracting(ContainerPort::getContainerPort)
                    .contains(port);
            assertThat(ann.get("prometheus.io/path")).isIn("/metrics", "/q/metrics");
        }
    }

    @Test
    void grafanaDashboardUsesTheProvisionedDatasourceAndCoversFpsLatencyDropsAndLoad() throws IOException {
        JsonNode ds = YAML.readTree(Path.of("observability/grafana/provisioning/datasources/prometheus.yml").toFile());
        String uid = ds.get("datasources").get(0).get("uid").asText();
        JsonNode dash = JSON.readTree(Path.of("observability/grafana/dashboards/streamloom.json").toFile());
        StringBuilder exprs = new StringBuilder();
        dash.get("panels").forEach(p -> {
            assertThat(p.get("datasource").get("uid").asText()).isEqualTo(uid);
            assertThat(p.get("targets")).isNotEmpty();
            p.get("targets").forEach(t -> exprs.append(t.get("expr").asText()).append('\n'));
        });
        assertThat(exprs.toString()).contains("streamloom_pipeline_fps", "streamloom_pipeline_latency_seconds",
                "streamloom_pipeline_frames_dropped_total", "process_cpu_usage");
    }

    private static void assertJob(JsonNode job, String path, String target) {
        assertThat(job.get("metrics_path").asText()).isEqualTo(path);
        assertThat(job.get("static_configs").get(0).get("targets").get(0).asText()).isEqualTo(target);
    }
}
