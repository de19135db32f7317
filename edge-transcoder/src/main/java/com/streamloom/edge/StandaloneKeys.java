package com.streamloom.edge;

import com.streamloom.media.node.NodeConfig;
import com.streamloom.media.rtmp.PublishRejectedException;
import com.streamloom.media.rtmp.PublishRequest;
import com.streamloom.spec.Names;
import com.streamloom.spec.SourceSpec;
import com.streamloom.spec.SpecException;
import com.streamloom.spec.StreamSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys from the edge's config file (standalone mode). Only SHA-256 hashes are kept in memory, so a heap dump
 * shows no key either. In the explicitly enabled open development mode any well-formed key is accepted and names
 * its own stream (never in production: {@code openDevMode} is off by default).
 */
final class StandaloneKeys implements KeyAuthorizer {
    private final Map<String, StreamSpec> byKeyHash = new HashMap<>();
    private final boolean openDevMode;

    StandaloneKeys(List<NodeConfig.KeyedStream> streams, boolean openDevMode) {
        for (NodeConfig.KeyedStream s : streams) {
            if (s.key() != null) {
                byKeyHash.put(PublishRequest.keyHash(s.key()), s.spec());
            }
        }
        this.openDevMode = openDevMode;
    }

    @Override
    public Grant authorize(PublishRequest request) throws PublishRejectedException {
        if (!"live".equals(request.app())) {
            throw new PublishRejectedException("unknown application '" + request.app() + "' (publish to /live)");
        }
        StreamSpec spec = byKeyHash.get(PublishRequest.keyHash(request.streamKey()));
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
