package com.streamloom.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows each benchmark leaves for the summary: one file per benchmark, {@code <benchmark>.tsv} in the results
 * directory, written when its run ends. The first line is {@code # written <instant>}, then one row per line, fields
 * separated by tabs: name, ours, theirs, ratio. The control API benchmark (a test of control-api, which cannot
 * depend on this module) writes the same format itself.
 */
public final class BenchResults {
    /** The system property naming the results directory; the benchmarks write nothing without it. */
    public static final String DIRECTORY_PROPERTY = "bench.results";
    private static final String WRITTEN = "# written ";

    /** One benchmark's rows and when they were written. */
    public record Section(String benchmark, Instant written, List<BenchRow> rows) {
        public Section {
            rows = List.copyOf(rows);
        }
    }

    private BenchResults() {
    }

    /** Writes {@code rows} for {@code benchmark} into the directory named by {@link #DIRECTORY_PROPERTY}, if set. */
    public static void publish(String benchmark, List<BenchRow> rows) {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            write(Path.of(dir), new Section(benchmark, Instant.now(), rows));
        }
    }

    public static void write(Path dir, Section section) {
        StringBuilder b = new StringBuilder(WRITTEN).append(section.written()).append('\n');
        for (BenchRow r : section.rows()) {
            b.append(r.name()).append('\t').append(r.ours()).append('\t').append(r.theirs()).append('\t')
                    .append(r.ratio()).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(section.benchmark() + ".tsv.tmp");
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(section.benchmark() + ".tsv"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark results to " + dir, e);
        }
    }

    /** Reads {@code <benchmark>.tsv} from {@code dir}; null if there is none. */
    public static Section read(Path dir, String benchmark) {
        Path file = dir.resolve(benchmark + ".tsv");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith(WRITTEN)) {
            throw new IllegalStateException(file + ": the first line must be '" + WRITTEN + "<instant>'");
        }
        Instant written;
        try {
            written = Instant.parse(lines.get(0).substring(WRITTEN.length()).trim());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(file + ": bad time on line 1", e);
        }
        List<BenchRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != 4) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": expected 4 tab-separated fields, got "
                        + f.length);
            }
            try {
                rows.add(new BenchRow(f[0], f[1], f[2], Double.parseDouble(f[3])));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": bad ratio '" + f[3] + "'", e);
            }
        }
        return new Section(benchmark, written, rows);
    }
}
