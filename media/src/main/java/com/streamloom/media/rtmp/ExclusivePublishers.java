package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enforces one publisher per stream ("never two publishers on one stream"). A
 * {@link PublishHandler} claims the stream it resolved the key to; the claim is released when the returned sink
 * ends, so the same publisher can come back after a disconnect.
 */
public final class ExclusivePublishers {
    private final Set<String> live = ConcurrentHashMap.newKeySet();

    /**
     * Claims {@code streamName} for a publisher and wraps its sink so that {@code end} releases the claim.
     *
     * @throws PublishRejectedException "stream is already publishing" if another publisher holds it
     */
    public MediaSink claim(String streamName, MediaSink sink) throws PublishRejectedException {
        if (!live.add(streamName)) {
            throw new PublishRejectedException("stream is already publishing");
        }
        AtomicBoolean ended = new AtomicBoolean();
        return new MediaSink() {
            @Override
            public void accept(MediaPacket packet) {
                sink.accept(packet);
            }

            @Override
            public void end(String reason) {
                if (ended.compareAndSet(false, true)) {
                    try {
                        sink.end(reason);
                    } finally {
                        live.remove(streamName);
                    }
                }
            }
        };
    }

    public boolean isLive(String streamName) {
        return live.contains(streamName);
    }
}
