package com.streamloom.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmarks live in the bench module only: no production jar (media-spec, media, node-runtime, edge-transcoder,
 * cloud-compositor, control-api) holds a benchmark class, and no production runtime classpath holds JMH.
 * The reactor builds those modules before this one (see this module's pom), so their jars are there to read.
 */
class ProductionJarsTest {
    /** A class named like a benchmark, or any class in a package named bench. */
    private static final Pattern BENCHMARK_CLASS = Pattern.compile("(^|.*/)(bench/.*|[^/]*Bench[^/]*)\\.class");
    private static final Path ROOT = Path.of(System.getProperty("streamloom.root", "..")).toAbsolutePath().normalize();

    @Test
    void noProductionJarHoldsABenchmarkClass() throws IOException {
        List<Path> jars = List.of(
                libraryJar("media-spec"),
                libraryJar("media"),
                libraryJar("node-runtime"),
                built("edge-transcoder/target/edge-transcoder.jar"),
                built("cloud-compositor/target/cloud-compositor.jar"),
                libraryJar("control-api"),
                onlyJarIn(built("control-api/target/quarkus-app/app")));
        for (Path jar : jars) {
            assertThat(classesIn(jar)).as("classes of %s", ROOT.relativize(jar)).isNotEmpty()
                    .noneMatch(name -> BENCHMARK_CLASS.matcher(name).matches());
        }
    }

    @Test
    void noProductionRuntimeClasspathHoldsJmh() throws IOException {
        for (String lib : List.of("edge-transcoder/target/lib", "cloud-compositor/target/lib",
                "control-api/target/quarkus-app/lib/main")) {
            List<String> names = fileNames(built(lib));
            assertThat(names).as("the runtime dependencies in %s", lib).isNotEmpty()
                    .noneMatch(n -> n.contains("jmh"));
        }
        String quarkusDependencies = Files.readString(built("control-api/target/quarkus-app/quarkus-app-dependencies.txt"));
        assertThat(quarkusDependencies).isNotBlank().doesNotContain("org.openjdk.jmh");
    }

    @Test
    void theBenchmarkPatternCatchesWhatItMustAndNothingElse() {
        assertThat(List.of("com/streamloom/edge/bench/EdgeBenchmark.class", "com/streamloom/edge/EdgeBenchmark.class",
                "com/streamloom/x/BenchProfile.class", "com/streamloom/media/bench/SettableClock.class",
                "com/streamloom/x/FooBench$Inner.class"))
                .allMatch(n -> BENCHMARK_CLASS.matcher(n).matches());
        assertThat(List.of("com/streamloom/edge/EdgeMain.class", "com/streamloom/workbench/Tool.class",
                "META-INF/bench.txt"))
                .noneMatch(n -> BENCHMARK_CLASS.matcher(n).matches());
    }

    /** The main jar a library module packages under its default name (not its test-jar). */
    private static Path libraryJar(String module) {
        return built(module + "/target/" + module + "-0.1.0-SNAPSHOT.jar");
    }

    private static Path built(String relative) {
        Path p = ROOT.resolve(relative);
        assertThat(p).as("%s is built before the bench module's tests run (build from the root: ./mvnw -B verify)",
                relative).exists();
        return p;
    }

    private static Path onlyJarIn(Path dir) throws IOException {
        List<String> jars = fileNames(dir).stream().filter(n -> n.endsWith(".jar")).toList();
        assertThat(jars).as("jars in %s", dir).hasSize(1);
        return dir.resolve(jars.get(0));
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> classesIn(Path jar) throws IOException {
        List<String> classes = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(classes::add);
        }
        return classes;
    }
}
