package com.streamloom.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Parses every manifest under deploy/k8s with the fabric8 Kubernetes model (the same model the API server's
 * schema is generated from) and checks that the pieces refer to each other correctly: a typo in a selector, a port
 * name or a secret key would otherwise only show up in a cluster.
 */
class KubernetesManifestsTest {
    static final Path K8S = Path.of("k8s");
    static final List<HasMetadata> ALL = new ArrayList<>();

    @BeforeAll
    static void parseAll() throws IOException {
        if (!ALL.isEmpty()) {
            return;
        }
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    Object parsed = Serialization.unmarshal(in);
                    if (parsed instanceof KubernetesList list) {
                        ALL.addAll(list.getItems());
                    } else if (parsed instanceof List<?> list) {
                        list.forEach(o -> ALL.add((HasMetadata) o));
                    } else {
                        ALL.add((HasMetadata) parsed);
                    }
                }
            }
        }
        assertThat(ALL).as("manifests parsed").hasSizeGreaterThan(8);
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return ALL.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyResourceIsInTheStreamloomNamespace() {
        ALL.stream().filter(r -> !r.getKind().equals("Namespace"))
                .forEach(r -> assertThat(r.getMetadata().getNamespace()).as(r.getKind() + " " + r.getMetadata().getName())
                        .isEqualTo("streamloom"));
    }

    @Test
    void controlApiRunsTwoReplicasBehindAServiceWithItsDatabaseFromASecret() {
        Deployment api = named(Deployment.class, "control-api");
        assertThat(api.getSpec().getReplicas()).isEqualTo(2);
        Container c = container(api);
        assertThat(envFromSecret(c, "QUARKUS_DATASOURCE_JDBC_URL")).contains("control-api-db");
        assertThat(envFromSecret(c, "QUARKUS_DATASOURCE_PASSWORD")).contains("control-api-db");
        Service svc = named(Service.class, "control-api");
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getPort).contains(8080);
    }

    @Test
    void edgesAndCompositorsAreBehindLoadBalancersWithAutoscalingAndDisruptionBudgets() {
        for (var role : Map.of("edge", 1935, "compositor", 1936).entrySet()) {
            Service svc = named(Service.class, role.getKey());
            assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getPort).contains(role.getValue());
            HorizontalPodAutoscaler hpa = named(HorizontalPodAutoscaler.class, role.getKey());
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
            assertThat(hpa.getSpec().getMetrics()).anySatisfy(m ->
                    assertThat(m.getResource().getName()).isEqualTo("cpu"));
            assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            named(PodDisruptionBudget.class, role.getKey());
        }
    }

    @Test
    void everyServiceSelectsTheLabelsOfADeploymentsPodsAndTargetsANamedContainerPort() {
        for (Service svc : all(Service.class)) {
            Deployment d = all(Deployment.class).stream()
                    .filter(dep -> dep.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                            .containsAll(svc.getSpec().getSelector().entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError("service " + svc.getMetadata().getName()
                            + " selects no deployment's pods"));
            List<String> portNames = container(d).getPorts().stream().map(ContainerPort::getName).toList();
            for (ServicePort p : svc.getSpec().getPorts()) {
                IntOrString target = p.getTargetPort();
                assertThat(target.getStrVal()).as("service %s port %s", svc.getMetadata().getName(), p.getName())
                        .isIn(portNames);
            }
        }
    }

    @Test
    void everyDeploymentSelectorMatchesItsPodTemplateAndEveryPdbSelectsADeployment() {
        for (Deployment d : all(Deployment.class)) {
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        }
        for (PodDisruptionBudget pdb : all(PodDisruptionBudget.class)) {
            assertThat(all(Deployment.class)).as("deployment selected by PDB " + pdb.getMetadata().getName())
                    .anySatisfy(d -> assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                            .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
        }
    }

    @Test
    void everyContainerHasProbesOnItsOwnPortsAndResourceRequestsAndLimits() {
        for (Deployment d : all(Deployment.class)) {
            Container c = container(d);
            List<String> portNames = c.getPorts().stream().map(ContainerPort::getName).toList();
            for (Probe probe : new Probe[] {c.getReadinessProbe(), c.getLivenessProbe()}) {
                assertThat(probe).as(d.getMetadata().getName() + " probe").isNotNull();
                assertThat(probe.getHttpGet().getPath()).matches("/(healthz|q/health/(ready|live))");
                assertThat(probe.getHttpGet().getPort().getStrVal()).isIn(portNames);
            }
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }
    }

    @Test
    void noManifestShipsASecretValue() {
        assertThat(all(Secret.class)).as("Secrets with values in deploy/k8s").isEmpty();
    }

    @Test
    void everySecretReferenceIsASecretAndKeyTheReadmeCreates() throws IOException {
        Map<String, List<String>> created = ReadmeSecrets.created();
        assertThat(created).containsKeys("streamloom-tokens", "streamloom-metrics-token", "control-api-db");
        for (Deployment d : all(Deployment.class)) {
            for (EnvVar e : container(d).getEnv()) {
                if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    assertThat(created).as("README creates secret %s", ref.getName()).containsKey(ref.getName());
                    assertThat(created.get(ref.getName())).as("secret %s", ref.getName()).contains(ref.getKey());
                }
            }
        }
    }

    @Test
    void nodesFindTheControlApiThroughItsServiceName() {
        for (String node : List.of("edge", "compositor")) {
            String url = container(named(Deployment.class, node)).getEnv().stream()
                    .filter(e -> e.getName().equals("STREAMLOOM_CONTROL_URL")).findFirst().orElseThrow().getValue();
            Service api = named(Service.class, "control-api");
            assertThat(url).isEqualTo("http://" + api.getMetadata().getName() + "." + api.getMetadata().getNamespace()
                    + ".svc:" + api.getSpec().getPorts().get(0).getPort());
        }
    }

    @Test
    void everyPodServesTlsFromTheTlsSecretTheReadmeCreatesAndLoadBalancersExposeOnlyTlsPorts() throws IOException {
        assertThat(ReadmeSecrets.created()).containsEntry("streamloom-tls", List.of("tls.crt", "tls.key"));
        for (Deployment d : all(Deployment.class)) {
            Container c = container(d);
            String name = d.getMetadata().getName();
            Volume tls = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null && "streamloom-tls".equals(v.getSecret().getSecretName()))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " mounts no streamloom-tls Secret"));
            assertThat(tls.getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactlyInAnyOrder(tuple("tls.crt", "tls.crt"), tuple("tls.key", "tls.key"));
            VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(tls.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " does not mount " + tls.getName()));
            assertThat(mount.getReadOnly()).isTrue();
            assertThat(env(c, "STREAMLOOM_TLS_CERT_FILE")).as(name).isEqualTo(mount.getMountPath() + "/tls.crt");
            assertThat(env(c, "STREAMLOOM_TLS_KEY_FILE")).as(name).isEqualTo(mount.getMountPath() + "/tls.key");
        }
        for (Service svc : all(Service.class)) {
            if ("LoadBalancer".equals(svc.getSpec().getType())) {
                assertThat(svc.getSpec().getPorts()).as("ports of " + svc.getMetadata().getName())
                        .extracting(p -> p.getTargetPort().getStrVal()).containsExactlyInAnyOrder("rtmps", "https");
            }
        }
    }

    @Test
    void nodesAdvertiseTheirPlainClusterPortsWhichTheContainersDeclare() {
        for (String node : List.of("edge", "compositor")) {
            Container c = container(named(Deployment.class, node));
            Map<String, Integer> ports = new java.util.HashMap<>();
            c.getPorts().forEach(p -> ports.put(p.getName(), p.getContainerPort()));
            assertThat(env(c, "STREAMLOOM_PLAIN_RTMP_PORT")).isEqualTo(String.valueOf(ports.get("rtmp-cluster")));
            assertThat(env(c, "STREAMLOOM_PLAIN_HTTP_PORT")).isEqualTo(String.valueOf(ports.get("http-cluster")));
        }
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name)).getValue();
    }

    private static Optional<String> envFromSecret(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .map(e -> e.getValueFrom().getSecretKeyRef().getName());
    }
}
