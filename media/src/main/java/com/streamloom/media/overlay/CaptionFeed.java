package com.streamloom.media.overlay;

import com.streamloom.spec.subtitle.CueText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live captions of one stream: the HTTP API thread {@link #post posts} a line, the stream's captions stage
 * reads the recent lines on its next frame ("appear on the next encoded frame").
 *
 * <p>Thread-safe without locks: the lines are an immutable list swapped atomically, so the frame thread never
 * waits for the API thread. The feed outlives a change of the stream's pipeline spec, so captions survive it. At
 * most {@link #MAX_KEPT} lines are kept, which bounds memory whatever a client posts.
 */
public final class CaptionFeed {
    /** Longest caption accepted, in characters, after control characters are removed. */
    public static final int MAX_TEXT_CHARS = 500;
    /** Lines kept; the catalog's {@code captions.maxLines} is at most this. */
    public static final int MAX_KEPT = 10;

    /** One posted line, stamped by the feed's clock. */
    public record Caption(long sequence, Instant postedAt, String text) {
    }

    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<List<Caption>> lines = new AtomicReference<>(List.of());

    /** @param clock stamps posts; use the same clock as the pipeline's {@code FrameContext} so expiry agrees */
    public CaptionFeed(Clock clock) {
        this.clock = clock;
    }

    /**
     * Adds a caption line. Line breaks and tabs become spaces, other control characters are removed.
     *
     * @throws IllegalArgumentException if the text is empty after that, or longer than {@link #MAX_TEXT_CHARS}
     */
    public Caption post(String text) {
        if (text == null) {
            throw new IllegalArgumentException("caption text is required");
        }
        String clean = CueText.oneLine(text);
        if (clean.isEmpty()) {
            throw new IllegalArgumentException("caption text is empty");
        }
        if (clean.codePointCount(0, clean.length()) > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("caption is " + clean.codePointCount(0, clean.length())
                    + " characters; the limit is " + MAX_TEXT_CHARS);
        }
        return append(clean);
    }

    /**
     * Numbers and appends under one lock, so the kept lines are always the newest in posting order: numbered first and
     * appended in a compare-and-set loop, a poster that lost the race could append an older line after newer ones.
     * Readers take the list without the lock.
     */
    private synchronized Caption append(String clean) {
        Caption caption = new Caption(sequence.incrementAndGet(), clock.instant(), clean);
        List<Caption> old = lines.get();
        List<Caption> next = new ArrayList<>(old.size() + 1);
        next.addAll(old.size() >= MAX_KEPT ? old.subList(old.size() - MAX_KEPT + 1, old.size()) : old);
        next.add(caption);
        lines.set(List.copyOf(next));
        return caption;
    }

    /** Removes every caption, e.g. when the operator clears the screen. */
    public synchronized void clear() {
        lines.set(List.of());
    }

    /**
     * The newest {@code maxLines} captions posted less than {@code maxAge} before {@code now}, oldest first.
     * A caption expires at exactly postedAt + maxAge.
     */
    public List<Caption> recent(Instant now, Duration maxAge, int maxLines) {
        List<Caption> all = lines.get();
        Instant oldest = now.minus(maxAge);
        List<Caption> out = new ArrayList<>(Math.min(maxLines, all.size()));
        // All (at most MAX_KEPT) are checked rather than stopping at the first expired one: a wall clock can step
        // backwards, so posting order need not be time order.
        for (int i = all.size() - 1; i >= 0 && out.size() < maxLines; i--) {
            Caption c = all.get(i);
            if (c.postedAt().isAfter(oldest)) { // one posted just after `now` was read is current, not future
                out.add(0, c);
            }
        }
        return out;
    }
}
