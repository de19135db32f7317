package com.streamloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus scrape config and the Grafana dashboard point at what the services actually serve. */
class ObservabilityConfigTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prometheusScrapesEachServiceOnItsMetricsPathAndPort() throws IOException {
        JsonNode cfg = YAML.readTree(Path.of("observability/prometheus.yml").toFile());
        Map<String, JsonNode> jobs = new HashMap<>();
        cfg.get("scrape_configs").forEach(j -> jobs.put(j.get("job_name").asText(), j));
        assertThat(jobs).containsKeys("control-api", "edge", "compositor", "kubernetes-pods");
        assertJob(jobs.get("control-api"), "/q/metrics", "control-api:8080");
        assertJob(jobs.get("edge"), "/metrics", "edge:8081");
        assertJob(jobs.get("compositor"), "/metrics", "compositor:8082");
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
