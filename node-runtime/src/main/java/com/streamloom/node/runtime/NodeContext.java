package com.streamloom.node.runtime;

import com.streamloom.media.hls.HlsStreams;
import com.streamloom.node.NodeConfig;
import com.streamloom.node.NodeToken;
import com.streamloom.node.agent.NodeCredential;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/**
 * The shared parts a plug-in's entries are built on.
 *
 * @param credential this node's own credential for calls to the control API; null standalone
 */
public record NodeContext(NodeConfig config, Clock clock, MeterRegistry registry, HlsStreams hls,
                          NodeToken nodeToken, NodeCredential credential) {
}
