package com.streamloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
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

    /**
     * Where both setups put the metrics token for Prometheus: prometheus-operator mounts Secret S at
     * /etc/prometheus/secrets/S, so this is Secret streamloom-metrics-token, key metrics-token.
     */
    static final String TOKEN_FILE = "/etc/prometheus/secrets/streamloom-metrics-token/metrics-token";
    static final String TOKEN_SECRET = "streamloom-metrics-token";
    static final String TOKEN_KEY = "metrics-token";

    @Test
    void prometheusSendsTheMetricsTokenToTheControlApiAndNoTokenToTheNodes() throws IOException {
        Map<String, JsonNode> jobs = jobs();
        // BearerAuth guards /q/metrics (ApiErrorsTest: 401 without a token); the metrics token may read it and
        // nothing else (MetricsTokenTest), so Prometheus holds no token that can change or delete streams.
        for (String job : List.of("control-api", "kubernetes-control-api")) {
            JsonNode auth = jobs.get(job).get("authorization");
            assertThat(auth).as(job + " authorization").isNotNull();
            assertThat(auth.path("type").asText("Bearer")).as(job).isEqualTo("Bearer");
            assertThat(auth.path("credentials_file").asText()).as(job).isEqualTo(TOKEN_FILE);
            assertThat(auth.has("credentials")).as(job + " inline credentials").isFalse();
        }
        assertThat(TOKEN_FILE).isEqualTo("/etc/prometheus/secrets/" + TOKEN_SECRET + "/" + TOKEN_KEY);
        // The nodes' /metrics is open; no token may reach them.
        for (String job : List.of("edge", "compositor", "kubernetes-pods")) {
            for (String field : List.of("authorization", "bearer_token", "bearer_token_file", "basic_auth")) {
                assertThat(jobs.get(job).has(field)).as(job + " " + field).isFalse();
            }
        }
        // No job anywhere reads the admin token.
        assertThat(Files.readString(Path.of("observability/prometheus.yml"))).doesNotContain("admin-token");
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
    void dockerComposeGivesPrometheusTheControlApisMetricsTokenAndNotTheAdminToken() throws IOException {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
        JsonNode prometheus = compose.get("services").get("prometheus");
        JsonNode apiEnv = compose.get("services").get("control-api").get("environment");
        String metrics = apiEnv.path("STREAMLOOM_METRICS_TOKEN").asText(null);
        String admin = apiEnv.get("STREAMLOOM_ADMIN_TOKEN").asText();
        assertThat(metrics).as("control-api STREAMLOOM_METRICS_TOKEN").isNotNull();
        String source = null;
        for (JsonNode c : prometheus.path("configs")) {
            String content = compose.get("configs").get(c.get("source").asText()).path("content").asText();
            // Nothing mounted into Prometheus is the admin token.
            assertThat(content).as("config " + c.get("source")).isNotEqualTo(admin);
            if (TOKEN_FILE.equals(c.path("target").asText())) {
                source = c.get("source").asText();
            }
        }
        assertThat(source).as("a config mounted at " + TOKEN_FILE).isNotNull();
        // Same text as the control API's metrics token, default included, so the two cannot drift apart.
        assertThat(compose.get("configs").get(source).get("content").asText()).isEqualTo(metrics);
        assertThat(prometheus.path("environment").toString()).doesNotContain("ADMIN_TOKEN");
        // Every token comes from the environment with no default: compose refuses to start without it.
        for (String var : List.of("STREAMLOOM_ADMIN_TOKEN", "STREAMLOOM_NODE_TOKEN", "STREAMLOOM_METRICS_TOKEN")) {
            assertThat(apiEnv.get(var).asText()).as(var).matches("\\$\\{" + var + ":\\?[^}]+}");
        }
    }

    @Test
    void onKubernetesTheMetricsTokenHasASecretOfItsOwnThatTheControlApiReads() throws IOException {
        KubernetesManifestsTest.parseAll();
        // Prometheus mounts this whole Secret: the README creates it with the metrics token and nothing else.
        Map<String, List<String>> created = ReadmeSecrets.created();
        assertThat(created.get(TOKEN_SECRET)).containsExactly(TOKEN_KEY);
        assertThat(created.get("streamloom-tokens")).doesNotContain(TOKEN_KEY);

        List<EnvVar> env = KubernetesManifestsTest.container(KubernetesManifestsTest.named(Deployment.class,
                "control-api")).getEnv();
        EnvVar fromSecret = env.stream().filter(e -> e.getName().equals("STREAMLOOM_METRICS_TOKEN")).findFirst()
                .orElseThrow(() -> new AssertionError("control-api has no STREAMLOOM_METRICS_TOKEN"));
        assertThat(fromSecret.getValueFrom().getSecretKeyRef().getName()).isEqualTo(TOKEN_SECRET);
        assertThat(fromSecret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(TOKEN_KEY);
        EnvVar admin = env.stream().filter(e -> e.getName().equals("STREAMLOOM_ADMIN_TOKEN")).findFirst().orElseThrow();
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
