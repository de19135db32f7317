package com.streamloom.edge;

import com.streamloom.node.NodeConfig;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.Names;
import com.streamloom.spec.SourceSpec;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keys from the edge's config file (standalone mode). Only the full SHA-256 of each key is kept in memory, so a
 * heap dump shows no key either, and a presented key is compared with every one of them in constant time (no
 * early exit, no hash-table lookup), so timing tells a guesser nothing about how close a guess was. In the
 * explicitly enabled open development mode any well-formed key is accepted and names its own stream (never in
 * production: {@code openDevMode} is off by default).
 */
final class StandaloneKeys implements KeyAuthorizer {
    private record Keyed(byte[] digest, StreamSpec spec) {
    }

    private final List<Keyed> keys = new ArrayList<>();
    private final boolean openDevMode;

    StandaloneKeys(List<NodeConfig.KeyedStream> streams, boolean openDevMode) {
        for (NodeConfig.KeyedStream s : streams) {
            if (s.key() != null) {
                keys.add(new Keyed(PublishRequest.keyDigest(s.key()), s.spec()));
            }
        }
        this.openDevMode = openDevMode;
    }

    @Override
    public CompletableFuture<Grant> authorize(PublishRequest request) {
        try {
            return CompletableFuture.completedFuture(decide(request));
        } catch (PublishRejectedException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Grant decide(PublishRequest request) throws PublishRejectedException {
        if (!"live".equals(request.app())) {
            throw new PublishRejectedException("unknown application '" + request.app() + "' (publish to /live)");
        }
        byte[] presented = PublishRequest.keyDigest(request.streamKey());
        StreamSpec spec = null;
        for (Keyed k : keys) {
            if (MessageDigest.isEqual(k.digest(), presented) && spec == null) {
                spec = k.spec();
            }
        }
        if (spec != null) {
            return new Grant(spec.name(), spec);
        }
        if (openDevMode) {
            try {
                Names.check("stream", request.streamKey());
            } catch (SpecException e) {
                throw new PublishRejectedException("open development mode: the key must be a valid stream name");
            }
            StreamSpec dev = new StreamSpec(request.streamKey(), SourceSpec.push(), List.of(), null, null).validated();
            return new Grant(dev.name(), dev);
        }
        throw new PublishRejectedException("invalid stream key");
    }
}
