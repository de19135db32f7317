package com.streamloom.spec.node;

/**
 * Sent by a node's agent every 2 s to {@code POST /api/v1/nodes/{nodeId}/heartbeat} with its node token.
 *
 * @param nodeId   stable id chosen by the node (e.g. host name + port)
 * @param role     EDGE or COMPOSITOR
 * @param rtmpUrl  where publishers (or edges, for a compositor) push: rtmp://host:1935
 * @param httpUrl  where HLS and the node's HTTP API are: http://host:8081
 * @param capacity how much work the node can take, in cost units per second (pixels per second x stage cost)
 * @param load     current load
 */
public record Heartbeat(String nodeId, NodeRole role, String rtmpUrl, String httpUrl, double capacity, NodeLoad load) {
}
