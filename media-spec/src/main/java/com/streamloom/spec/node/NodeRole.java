package com.streamloom.spec.node;

/** What a node runs: edges run streams, compositors run compositions. */
public enum NodeRole {
    EDGE, COMPOSITOR
}
