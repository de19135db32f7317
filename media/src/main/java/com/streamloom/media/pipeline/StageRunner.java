package com.streamloom.media.pipeline;

import com.streamloom.media.frame.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stage thread's work: frames go through the ordered {@link FrameStage}s (a stage that throws is counted and the
 * frame passes on unchanged), audio and markers pass on to the encoding thread in the same order. Stage swapping:
 * {@link #update} may be called from any thread; the new list takes effect between two frames, and the replaced
 * stages are closed on the stage thread (every stage runs and is closed there), so nothing restarts and no frame is
 * lost.
 */
final class StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    private final String name;
    private final Handoff<Object> toEncoder;
    private final PipelineCounters counters;
    private final AtomicReference<List<FrameStage>> pending = new AtomicReference<>();
    private final ConcurrentLinkedQueue<FrameStage> retired = new ConcurrentLinkedQueue<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private List<FrameStage> stages;
    private volatile List<FrameStage> stagesView;

    StageRunner(String name, List<FrameStage> initial, Handoff<Object> toEncoder, PipelineCounters counters) {
        this.name = name;
        this.stages = List.copyOf(initial);
        this.stagesView = stages;
        this.toEncoder = toEncoder;
        this.counters = counters;
    }

    /** The current stages; any thread. */
    List<FrameStage> stages() {
        return stagesView;
    }

    /** Replaces the stage list before the next frame; the runner owns the given stages from now on. */
    void update(List<FrameStage> newStages) {
        List<FrameStage> never = pending.getAndSet(List.copyOf(newStages));
        if (never != null) {
            // A previous update that was not applied yet: its stages never ran; close them with the next swap.
            retired.addAll(never);
        }
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** One item from the decoding thread. */
    void handle(Object item) {
        if (item instanceof StagedFrame s) {
            run(s.frame(), s.context());
        } else {
            toEncoder.send(item);
        }
    }

    private void run(VideoFrame frame, FrameContext ctx) {
        VideoFrame f = frame;
        for (FrameStage stage : stages) {
            try {
                f = stage.apply(f, ctx);
            } catch (RuntimeException e) {
                long errors = ++counters.stageErrors;
                if (errors <= 10 || errors % 1000 == 0) {
                    LOG.warn("stream {}: stage {} failed (error #{}), frame passed on unchanged", name, stage.name(),
                            errors, e);
                }
                if (f.isClosed()) {
                    f = null;
                }
            }
            if (f == null) {
                break;
            }
        }
        if (f == null) {
            counters.framesDroppedByStages++;
            return;
        }
        toEncoder.send(f);
    }

    /** Applies a pending update (between two items), closing what it replaced, and tells the listeners. */
    void applyPending() {
        List<FrameStage> next = pending.getAndSet(null);
        if (next == null) {
            if (!retired.isEmpty()) {
                closeRetired(Set.of());
            }
            return;
        }
        List<FrameStage> old = stages;
        stages = next;
        stagesView = next;
        retired.addAll(old);
        Set<FrameStage> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(next);
        closeRetired(keep);
        for (Runnable l : listeners) {
            l.run();
        }
    }

    private void closeRetired(Set<FrameStage> keep) {
        FrameStage s;
        while ((s = retired.poll()) != null) {
            if (!keep.contains(s)) {
                closeQuietly(s);
            }
        }
    }

    void closeQuietly(FrameStage s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("stream {}: closing stage {} failed", name, s.name(), e);
        }
    }

    /** Closes every stage the runner owns: current, pending and retired, each once. */
    void release() {
        List<FrameStage> next = pending.getAndSet(null);
        Set<FrameStage> closed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FrameStage> all = new ArrayList<>(stages);
        if (next != null) {
            all.addAll(next);
        }
        all.addAll(retired);
        retired.clear();
        for (FrameStage s : all) {
            if (closed.add(s)) {
                closeQuietly(s);
            }
        }
    }
}
