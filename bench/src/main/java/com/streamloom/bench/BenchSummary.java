package com.streamloom.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The last step of {@code ./mvnw -B -Pbench verify}: one table of every benchmark's rows (name, ours, theirs,
 * ratio), from the files the benchmarks wrote in this build. A benchmark whose file is missing or older than the
 * build's start did not run in this build, or failed before writing it (a benchmark writes its rows only once it
 * has passed its own checks), and the table says so instead of showing old numbers.
 */
public final class BenchSummary {
    /** The benchmarks, in the order the table shows them. */
    public static final List<String> BENCHMARKS = List.of("edge", "compositor", "control-api");

    private BenchSummary() {
    }

    /** Arguments: the results directory, and the instant the build started. */
    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BenchSummary <results directory> <build start instant>");
        }
        Path dir = Path.of(args[0]);
        Instant since = Instant.parse(args[1]);
        List<BenchResults.Section> sections = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : BENCHMARKS) {
            BenchResults.Section s = BenchResults.read(dir, name);
            // The build's start is truncated to the second; so is the comparison.
            if (s == null || s.written().truncatedTo(ChronoUnit.SECONDS).isBefore(since)) {
                missing.add(name);
            } else {
                sections.add(s);
            }
        }
        System.out.print(table(sections, missing));
    }

    /** The summary table: a header, one line per row, then the benchmarks that did not run. */
    public static String table(List<BenchResults.Section> sections, List<String> notRun) {
        List<BenchRow> rows = sections.stream().flatMap(s -> s.rows().stream()).toList();
        int name = width(rows.stream().map(BenchRow::name).toList(), "benchmark");
        int ours = width(rows.stream().map(BenchRow::ours).toList(), "ours");
        int theirs = width(rows.stream().map(BenchRow::theirs).toList(), "theirs");
        String format = "%-" + name + "s  %-" + ours + "s  %-" + theirs + "s  %s%n";
        StringBuilder b = new StringBuilder();
        b.append("StreamLoom benchmark summary (ratio > 1: StreamLoom is better; theirs is the ffmpeg CLI on the same"
                + " input, or the goal)\n");
        b.append(String.format(Locale.ROOT, format, "benchmark", "ours", "theirs", "ratio"));
        for (BenchRow r : rows) {
            b.append(String.format(Locale.ROOT, format, r.name(), r.ours(), r.theirs(),
                    Double.isFinite(r.ratio()) ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "-"));
        }
        for (String n : notRun) {
            b.append(n).append(": no result from this build (not run, or it failed: see its output above)\n");
        }
        return b.toString();
    }

    private static int width(List<String> values, String header) {
        return Math.max(header.length(), values.stream().mapToInt(String::length).max().orElse(0));
    }
}
