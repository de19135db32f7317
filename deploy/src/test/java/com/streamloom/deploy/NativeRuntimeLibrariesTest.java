package com.streamloom.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaCV natives jars bundle FFmpeg and OpenCV but not every system library they link: FFmpeg's libavdevice (which
 * JavaCV's FFmpegFrameGrabber and the shipped ffmpeg program load) needs PulseAudio, ALSA and XCB from the system. A
 * machine or image without them fails at the first frame with an UnsatisfiedLinkError. This test reads the ELF
 * {@code NEEDED} entries of every native library in the jars on the classpath, keeps the ones the jars do not bundle
 * and the C runtime does not provide, finds the Debian package of each ({@code dpkg -S}, on this Debian machine), and
 * checks that the node images, {@code .ci/run} and {@code deploy/local/up.sh} all install or check for them.
 */
class NativeRuntimeLibrariesTest {
    /** What every glibc system (and the JRE base image) has. */
    static final Set<String> C_RUNTIME = Set.of("ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libmvec.so.1",
            "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libz.so.1");
    /**
     * JavaCV's jars whose natives the nodes load. OpenCV's highgui (GTK windows) and its Python module are never loaded
     * by a node, so their libraries are left out.
     */
    static final Pattern NATIVES_JAR = Pattern.compile("(ffmpeg|opencv|openblas|javacpp)-[0-9.]+-1\\.5\\.13-linux-x86_64(-gpl)?\\.jar");
    static final Pattern NEEDED = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.+)]");

    static TreeMap<String, String> packageOfLibrary;

    @BeforeAll
    static void findSystemLibraries(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Set<String> bundled = new TreeSet<>();
        Set<String> needed = new TreeSet<>();
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (NATIVES_JAR.matcher(p.getFileName().toString()).matches()) {
                jars.add(p);
            }
        }
        assertThat(jars).as("JavaCV natives jars on the test classpath").hasSizeGreaterThanOrEqualTo(3);
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry e : zip.stream().toList()) {
                    String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                    if (e.isDirectory() || !name.contains(".so") || name.contains("highgui") || e.getName().contains("/python/")) {
                        continue;
                    }
                    bundled.add(name);
                    Path file = tmp.resolve(name);
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    needed.addAll(neededBy(file));
                    Files.delete(file);
                }
            }
        }
        packageOfLibrary = new TreeMap<>();
        for (String lib : needed) {
            if (!bundled.contains(lib) && !C_RUNTIME.contains(lib)
                    && !(lib.startsWith("libopenblas") && bundled.stream().anyMatch(b -> b.startsWith("libopenblas")))) {
                packageOfLibrary.put(lib, debianPackageOf(lib));
            }
        }
    }

    @Test
    void avdevicesSystemLibrariesAreTheOnesWeKnow() {
        // If a JavaCV upgrade links something new, this fails and names it, before a node image does in production.
        assertThat(packageOfLibrary.keySet())
                .containsExactlyInAnyOrder("libasound.so.2", "libpulse.so.0", "libxcb.so.1", "libxcb-shm.so.0");
    }

    @Test
    void nodeImagesInstallEveryPackageTheNativesNeed() throws IOException {
        for (String image : List.of("edge-transcoder", "cloud-compositor")) {
            List<String> lines = ContainerImagesTest.instructions(Path.of("docker", image + ".Dockerfile"));
            int runtimeFrom = lines.lastIndexOf(lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow());
            String runtimeInstalls = String.join("\n", lines.subList(runtimeFrom, lines.size()));
            for (String pkg : packageOfLibrary.values()) {
                assertThat(runtimeInstalls).as(image + " runtime stage installs " + pkg).containsPattern("apt-get install[^\n]* " + pkg + "\\b");
            }
        }
    }

    @Test
    void ciInstallsThemAndTheLocalStartChecksForThem() throws IOException {
        String ci = Files.readString(Path.of("..", ".ci", "run"));
        String up = Files.readString(Path.of("local", "up.sh"));
        String readme = Files.readString(Path.of("..", "README.md"));
        for (var e : packageOfLibrary.entrySet()) {
            assertThat(ci).as(".ci/run installs " + e.getValue()).containsPattern("\\b" + Pattern.quote(e.getValue()) + "\\b");
            assertThat(up).as("up.sh checks for " + e.getKey()).contains(e.getKey());
            assertThat(readme).as("README names " + e.getValue()).contains(e.getValue());
        }
    }

    static List<String> neededBy(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("readelf", "-d", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> libs = new ArrayList<>();
        Matcher m = NEEDED.matcher(out);
        while (m.find()) {
            libs.add(m.group(1));
        }
        return libs;
    }

    static String debianPackageOf(String library) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dpkg", "-S", "*/" + library).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("a Debian package provides " + library + " (is it installed? " + out.strip() + ")").isZero();
        // "libpulse0:amd64: /usr/lib/x86_64-linux-gnu/libpulse.so.0"
        return out.lines().findFirst().orElseThrow().split(":")[0];
    }
}
