package com.streamloom.edge;

import com.streamloom.media.packet.CodecConfigs;
import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

/**
 * One publisher's packets on their way into the stream's pipeline, which may be rebuilt under it: a change of
 * encoding needs a new encoder, but the publisher must stay connected and the playlist go on. {@link #moveTo} hands
 * the publication to the rebuilt pipeline: the codec configuration the publisher sent at its start is given to the
 * new pipeline first, and its video starts at the next keyframe (a decoder cannot start between two).
 *
 * <p>Called on the publisher's network thread ({@link #accept}, {@link #end}) and by the reconciler
 * ({@link #moveTo}); one lock orders them, so no packet reaches the old pipeline after the move.
 */
final class PublicationRelay implements MediaSink {
    private final CodecConfigs configs = new CodecConfigs();
    private MediaSink target;
    private boolean awaitKeyframe;
    private boolean ended;

    PublicationRelay(MediaSink first) {
        this.target = first;
    }

    @Override
    public synchronized void accept(MediaPacket packet) {
        if (!configs.note(packet) && packet.isVideo() && awaitKeyframe) {
            if (!packet.keyframe()) {
                return;
            }
            awaitKeyframe = false;
        }
        target.accept(packet);
    }

    @Override
    public synchronized void end(String reason) {
        ended = true;
        target.end(reason);
    }

    /** True while the publisher is connected. */
    synchronized boolean active() {
        return !ended;
    }

    /** From now on packets go to {@code next}, which first gets the publication's codec configuration. */
    synchronized void moveTo(MediaSink next) {
        target = next;
        configs.replayTo(next, null);
        awaitKeyframe = true;
    }
}
