package com.streamloom.media.filter;

import com.streamloom.spec.FfmpegFilters;
import com.streamloom.media.codec.FfmpegError;
import com.streamloom.media.frame.VideoFrame;
import com.streamloom.media.pipeline.FrameContext;
import com.streamloom.media.pipeline.FrameStage;
import org.bytedeco.ffmpeg.avfilter.AVBufferSrcParameters;
import org.bytedeco.ffmpeg.avfilter.AVFilter;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterChain;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraphSegment;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;


import static org.bytedeco.ffmpeg.global.avfilter.AVFILTER_FLAG_DYNAMIC_INPUTS;
import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_frame;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersink_get_time_base;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_add_frame_flags;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.av_buffersrc_parameters_set;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_filter_pad_count;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_get_by_name;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_alloc_filter;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_config;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_segment_apply;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_segment_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_graph_segment_parse;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_init_str;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_inout_free;
import static org.bytedeco.ffmpeg.global.avfilter.avfilter_link;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;
import static org.bytedeco.ffmpeg.presets.avutil.AVERROR_EAGAIN;

/**
 * Runs any libavfilter video graph on the frames (stage type {@code ffmpeg}, e.g. {@code hqdn3d=4},
 * {@code eq=gamma=1.2}, {@code hflip}): buffer source → the graph → {@code format=yuv420p} → buffer sink.
 *
 * <p>The graph description is checked when the stage is built (syntax, filter names, options, exactly one video
 * input and output, no filter that reaches outside the process), so a bad spec is refused with an
 * {@link IllegalArgumentException} naming the problem before any frame flows. The graph itself is configured on
 * the first frame and rebuilt whenever the input size or colour properties change (a publisher switching
 * resolution); the output may have another size than the input (a {@code scale} in the graph).
 *
 * <p>A stage passes on at most one frame per input: a graph that holds frames back (a temporal filter with delay)
 * drops them from this stage's output until it has one ready, and a graph that emits several (frame-rate
 * doubling) passes on the newest only, as the pipeline's frame clock belongs to the source.
 */
public class FfmpegGraphStage extends FrameStage {
    /** The buffer source runs on the pipeline's clock: microseconds. */
    private static final AVRational MICROSECONDS = new AVRational().num(1).den(1_000_000);

    /** Size at which a graph is test-built when the stage is created; only parsing matters there. */
    private static final int PROBE_WIDTH = 640;
    private static final int PROBE_HEIGHT = 360;

    private static final String FILTER_DOCS = "https://ffmpeg.org/ffmpeg-filters.html";

    private final String description;
    private Graph graph;
    /** The sink writes into this; it becomes a {@link VideoFrame} only when a frame came out. */
    private AVFrame spare;

    /** A stage running {@code description}; throws IllegalArgumentException if it is not a usable graph. */
    public FfmpegGraphStage(String description) {
        this("ffmpeg", description);
    }

    /** For stages that are one fixed FFmpeg filter under their own name ({@link Denoise}). */
    protected FfmpegGraphStage(String name, String description) {
        super(name);
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("ffmpeg graph is empty");
        }
        this.description = description;
        // Parse (not configure) once now: configuration depends on the input size, parsing does not.
        Graph.build(description, PROBE_WIDTH, PROBE_HEIGHT, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, false)
                .close();
    }

    /** The libavfilter graph description this stage runs. */
    public final String description() {
        return description;
    }

    @Override
    protected final VideoFrame process(VideoFrame frame, FrameContext context) {
        AVFrame in = frame.avFrame();
        long inputPts = frame.ptsMicros();
        try (frame) {
            if (graph == null || !graph.accepts(in)) {
                closeGraph();
                graph = Graph.build(description, in.width(), in.height(), in.colorspace(), in.color_range(), true);
            }
            in.pts(inputPts);
            // KEEP_REF: the graph takes its own reference to the buffers, so closing `frame` afterwards is safe.
            int sent = av_buffersrc_add_frame_flags(graph.source, in, AV_BUFFERSRC_FLAG_KEEP_REF);
            if (sent == AVERROR_EOF) {
                return null; // the graph has finished (e.g. a trim): nothing more will come out
            }
            check(sent, "feeding the ffmpeg graph '" + description + "'");
        }
        VideoFrame newest = null;
        try {
            while (true) {
                if (spare == null) {
                    spare = av_frame_alloc();
                }
                int got = av_buffersink_get_frame(graph.sink, spare);
                if (got == AVERROR_EAGAIN() || got == AVERROR_EOF) {
                    return newest;
                }
                check(got, "reading from the ffmpeg graph '" + description + "'");
                long pts = spare.pts() == AV_NOPTS_VALUE ? inputPts : graph.toMicros(spare.pts());
                if (newest != null) {
                    newest.close();
                }
                newest = VideoFrame.adopt(spare, pts);
                spare = null;
            }
        } catch (RuntimeException e) {
            if (newest != null) {
                newest.close();
            }
            throw e;
        }
    }

    private void closeGraph() {
        if (graph != null) {
            graph.close();
            graph = null;
        }
    }

    @Override
    public void close() {
        closeGraph();
        if (spare != null) {
            av_frame_free(spare);
            spare = null;
        }
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException(what + " failed: " + FfmpegError.text(result));
        }
    }

    /** One built filter graph and the input properties it was configured for. */
    private static final class Graph implements AutoCloseable {
        private AVFilterGraph graph;
        private final AVFilterContext source;
        private final AVFilterContext sink;
        private final int width;
        private final int height;
        private final int colorSpace;
        private final int colorRange;
        /** The sink's time base (the graph may change it, e.g. a {@code settb} or {@code fps} filter). */
        private int sinkTimeBaseNum;
        private int sinkTimeBaseDen;

        private Graph(AVFilterGraph graph, AVFilterContext source, AVFilterContext sink, int width, int height,
                      int colorSpace, int colorRange) {
            this.graph = graph;
            this.source = source;
            this.sink = sink;
            this.width = width;
            this.height = height;
            this.colorSpace = colorSpace;
            this.colorRange = colorRange;
        }

        long toMicros(long sinkPts) {
            return av_rescale(sinkPts, (long) sinkTimeBaseNum * 1_000_000L, sinkTimeBaseDen);
        }

        boolean accepts(AVFrame frame) {
            return frame.width() == width && frame.height() == height && frame.colorspace() == colorSpace
                    && frame.color_range() == colorRange;
        }

        /**
         * Builds source → description → format=yuv420p → sink. Without {@code configure} only parses (the check
         * at creation); a description that does not parse is an IllegalArgumentException, a parsed graph that
         * cannot take this input size an IllegalStateException.
         */
        static Graph build(String description, int width, int height, int colorSpace, int colorRange,
                           boolean configure) {
            AVFilterGraph g = avfilter_graph_alloc();
            if (g == null || g.isNull()) {
                throw new IllegalStateException("out of memory allocating an ffmpeg filter graph");
            }
            boolean done = false;
            // Out-parameters (AVFilterInOut**, AVFilterGraphSegment**) are PointerPointers holding null, never
            // JavaCPP-allocated structs: FFmpeg may av_free what it finds there when it fails early, and JavaCPP
            // would free the same struct again later (a double free seen as a crash in its deallocator thread).
            PointerPointer<AVFilterInOut> openInputs = nullPointerSlot();
            PointerPointer<AVFilterInOut> openOutputs = nullPointerSlot();
            try {
                AVFilterContext source = avfilter_graph_alloc_filter(g, filter("buffer"), "in");
                AVBufferSrcParameters params = av_buffersrc_parameters_alloc();
                try {
                    params.format(AV_PIX_FMT_YUV420P).width(width).height(height)
                            .time_base(MICROSECONDS).color_space(colorSpace).color_range(colorRange);
                    params.sample_aspect_ratio().num(1).den(1);
                    ok(av_buffersrc_parameters_set(source, params), "setting up the buffer source");
                } finally {
                    av_free(params);
                }
                ok(avfilter_init_str(source, (String) null), "starting the buffer source");

                AVFilterContext format = avfilter_graph_alloc_filter(g, filter("format"), "to_yuv420p");
                ok(avfilter_init_str(format, "pix_fmts=yuv420p"), "creating the format filter");
                AVFilterContext sink = avfilter_graph_alloc_filter(g, filter("buffersink"), "out");
                ok(avfilter_init_str(sink, (String) null), "creating the buffer sink");
                ok(avfilter_link(format, 0, sink, 0), "linking the buffer sink");
                Graph built = new Graph(g, source, sink, width, height, colorSpace, colorRange);

                // Parse into a segment first, which creates no filter: filters act when they are initialised (a
                // `movie` opens its URL, a `psnr` creates its stats file), so the names are checked before that.
                PointerPointer<AVFilterGraphSegment> segmentSlot = nullPointerSlot();
                try (BytePointer text = new BytePointer(description)) {
                    int parsed = avfilter_graph_segment_parse(g, text, 0, segmentSlot);
                    if (parsed < 0) {
                        throw invalid(description, parsed);
                    }
                    AVFilterGraphSegment segment = segmentSlot.get(AVFilterGraphSegment.class, 0);
                    checkAllowed(segment, description);
                    int applied = avfilter_graph_segment_apply(segment, 0, openInputs, openOutputs);
                    if (applied < 0) {
                        throw invalid(description, applied);
                    }
                } finally {
                    avfilter_graph_segment_free(segmentSlot);
                    segmentSlot.close();
                }
                // segment_apply hands back the pads it left open: exactly one input and one output, which are
                // linked to the buffer source and the format filter.
                AVFilterInOut graphInput = openInputs.get(AVFilterInOut.class, 0);
                AVFilterInOut graphOutput = openOutputs.get(AVFilterInOut.class, 0);
                if (graphInput == null || graphInput.isNull() || graphOutput == null || graphOutput.isNull()
                        || graphInput.next() != null || graphOutput.next() != null) {
                    throw new IllegalArgumentException("ffmpeg graph '" + description
                            + "' must have exactly one video input and one video output");
                }
                if (avfilter_link(source, 0, graphInput.filter_ctx(), graphInput.pad_idx()) < 0
                        || avfilter_link(graphOutput.filter_ctx(), graphOutput.pad_idx(), format, 0) < 0) {
                    throw new IllegalArgumentException("ffmpeg graph '" + description
                            + "' must take and give video (an audio filter cannot run on the picture)");
                }
                if (configure) {
                    int configured = avfilter_graph_config(g, null);
                    if (configured < 0) {
                        throw new IllegalStateException("ffmpeg graph '" + description + "' cannot process "
                                + width + "x" + height + " video: " + FfmpegError.text(configured));
                    }
                    try (AVRational timeBase = av_buffersink_get_time_base(sink)) {
                        built.sinkTimeBaseNum = timeBase.num();
                        built.sinkTimeBaseDen = timeBase.den();
                    }
                }
                done = true;
                return built;
            } finally {
                avfilter_inout_free(openInputs);
                avfilter_inout_free(openOutputs);
                openInputs.close();
                openOutputs.close();
                if (!done) {
                    avfilter_graph_free(g); // frees every filter context made above with it
                }
            }
        }

        /** One pointer slot set to null, for an FFmpeg out-parameter. */
        private static <P extends Pointer> PointerPointer<P> nullPointerSlot() {
            PointerPointer<P> slot = new PointerPointer<>(1);
            slot.put(0, (Pointer) null);
            return slot;
        }

        /** Refuses unknown filters, source filters and filters that reach files, network or plugins. */
        private static void checkAllowed(AVFilterGraphSegment segment, String description) {
            for (long c = 0; c < segment.nb_chains(); c++) {
                AVFilterChain chain = segment.chains((int) c);
                for (long i = 0; i < chain.nb_filters(); i++) {
                    String name = chain.filters((int) i).filter_name().getString();
                    AVFilter f = avfilter_get_by_name(name);
                    if (f == null || f.isNull()) {
                        throw new IllegalArgumentException("ffmpeg graph '" + description + "' uses the unknown filter '"
                                + name + "' (see " + FILTER_DOCS + ")");
                    }
                    // the one list the control API checks too: nothing that reaches files, network or plugins,
                    // sleeps, logs per frame or holds the whole stream (a stage spec comes from the network API)
                    if (!FfmpegFilters.isAllowed(name)) {
                        throw new IllegalArgumentException("ffmpeg graph '" + description + "' uses the filter '"
                                + name + "', which is not allowed (it reaches files, network or plugins, or holds"
                                + " unbounded memory)");
                    }
                    if (avfilter_filter_pad_count(f, 0) == 0 && (f.flags() & AVFILTER_FLAG_DYNAMIC_INPUTS) == 0) {
                        throw new IllegalArgumentException("ffmpeg graph '" + description + "' uses the source filter '"
                                + name + "'; a stage graph takes its only input from the stream");
                    }
                }
            }
        }

        private static IllegalArgumentException invalid(String description, int error) {
            return new IllegalArgumentException("ffmpeg graph '" + description + "' is invalid: " + FfmpegError.text(error)
                    + " (see " + FILTER_DOCS + ")");
        }

        private static AVFilter filter(String name) {
            AVFilter f = avfilter_get_by_name(name);
            if (f == null || f.isNull()) {
                throw new IllegalStateException("this FFmpeg build has no '" + name + "' filter");
            }
            return f;
        }

        private static void ok(int result, String what) {
            if (result < 0) {
                throw new IllegalStateException(what + " failed: " + FfmpegError.text(result));
            }
        }

        @Override
        public void close() {
            if (graph != null) {
                avfilter_graph_free(graph);
                graph = null;
            }
        }
    }
}
