package com.streamloom.media.rtmp;

import com.streamloom.media.packet.MediaPacket;
import com.streamloom.media.packet.MediaSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The publications of one RTMP connection, by message stream: metadata is logged, audio and video messages become
 * {@link MediaPacket}s for the publication's sink, and each publication's sink is ended exactly once. Used on the
 * connection's event loop only, by {@link RtmpServerSession}.
 */
final class ConnectionPublications {
    private static final Logger log = LoggerFactory.getLogger(ConnectionPublications.class);

    /** A publish in progress on one message stream. */
    private static final class Publication {
        final PublishRequest request;
        final MediaSink sink;
        final TimestampUnwrapper clock = new TimestampUnwrapper();
        final Set<Integer> unsupportedFormatsLogged = new HashSet<>();

        Publication(PublishRequest request, MediaSink sink) {
            this.request = request;
            this.sink = sink;
        }
    }

    private final Map<Integer, Publication> byStream = new HashMap<>();

    boolean has(int streamId) {
        return byStream.containsKey(streamId);
    }

    boolean isEmpty() {
        return byStream.isEmpty();
    }

    void start(int streamId, PublishRequest request, MediaSink sink) {
        byStream.put(streamId, new Publication(request, sink));
    }

    /** Ends the publication on {@code streamId}; false if there was none. */
    boolean end(int streamId, String reason) {
        Publication publication = byStream.remove(streamId);
        if (publication == null) {
            return false;
        }
        end(publication, reason);
        return true;
    }

    /** Ends the publications of {@code streamKey} (FCUnpublish names the key, not the stream); false if none. */
    boolean endKey(String streamKey, String reason) {
        boolean ended = false;
        for (Iterator<Publication> it = byStream.values().iterator(); it.hasNext(); ) {
            Publication publication = it.next();
            if (publication.request.streamKey().equals(streamKey)) {
                it.remove();
                end(publication, reason);
                ended = true;
            }
        }
        return ended;
    }

    void endAll(String reason) {
        for (Publication p : byStream.values()) {
            end(p, reason);
        }
        byStream.clear();
    }

    /** A data message on a publishing stream: its metadata is logged (nothing downstream needs it). */
    void data(int streamId, List<Object> values) {
        Publication publication = byStream.get(streamId);
        if (publication == null || values.isEmpty()) {
            return;
        }
        // "@setDataFrame", "onMetaData", {...} from encoders; "onMetaData", {...} from older tools.
        int i = "@setDataFrame".equals(values.get(0)) ? 1 : 0;
        if (values.size() > i + 1 && "onMetaData".equals(values.get(i))) {
            Object props = values.get(i + 1);
            Map<?, ?> map = props instanceof Amf0.EcmaArray a ? a.entries() : props instanceof Map<?, ?> m ? m : Map.of();
            log.info("metadata for {}: {}x{} at {} fps, video codec {}, audio codec {}", publication.request,
                    map.get("width"), map.get("height"), map.get("framerate"), FlvTags.codecName(map.get("videocodecid"), true),
                    FlvTags.codecName(map.get("audiocodecid"), false));
        }
    }

    /**
     * An audio or video message: handed to its publication's sink, or dropped before publish or after unpublish.
     *
     * @throws PublicationClosedException the sink no longer takes this publisher's media
     */
    void media(RtmpMessage msg) {
        Publication publication = byStream.get(msg.messageStreamId());
        if (publication == null) {
            return; // media before publish or after unpublish: nobody to give it to
        }
        long dtsMicros = publication.clock.unwrap(msg.timestamp()) * 1000;
        MediaPacket packet = msg.type() == RtmpMessageType.AUDIO
                ? FlvTags.audioPacket(msg.payload(), dtsMicros)
                : FlvTags.videoPacket(msg.payload(), dtsMicros);
        if (packet == null) {
            int format = msg.type() == RtmpMessageType.AUDIO ? FlvTags.soundFormat(msg.payload()) : -2;
            if (format >= 0 && format != FlvTags.SOUND_FORMAT_AAC && publication.unsupportedFormatsLogged.add(format)) {
                log.warn("{}: audio format {} is not carried (AAC only)", publication.request, format);
            }
            return;
        }
        publication.sink.accept(packet);
    }

    private static void end(Publication publication, String reason) {
        log.info("publish ended: {}: {}", publication.request, reason);
        try {
            publication.sink.end(reason);
        } catch (RuntimeException e) {
            log.error("sink of {} failed to end", publication.request, e);
        }
    }
}
