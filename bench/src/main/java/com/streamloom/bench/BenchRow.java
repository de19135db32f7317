package com.streamloom.bench;

/**
 * One line of the benchmark summary: what was measured, our value, the value it is compared with (the ffmpeg CLI's
 * on the same input, or the goal where nothing else does the same job), and the ratio oriented so that above 1 is
 * better for StreamLoom (ours / theirs for rates, theirs / ours for costs and latencies). NaN: no ratio.
 */
public record BenchRow(String name, String ours, String theirs, double ratio) {
    public BenchRow {
        for (String field : new String[] {name, ours, theirs}) {
            if (field == null || field.isBlank() || field.indexOf('\t') >= 0 || field.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a summary field must be one line without tabs, not '" + field + "'");
            }
        }
    }

    /** A row whose ours is a rate: more is better. */
    public static BenchRow higherIsBetter(String name, String ours, String theirs, double ourValue, double theirValue) {
        return new BenchRow(name, ours, theirs, ourValue / theirValue);
    }

    /** A row whose ours is a cost or a latency: less is better. */
    public static BenchRow lowerIsBetter(String name, String ours, String theirs, double ourValue, double theirValue) {
        return new BenchRow(name, ours, theirs, theirValue / ourValue);
    }
}
