package com.streamloom.node;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node's JSON mappers, configured in one place. What people write (the config file, node API requests) is read
 * strictly: an unknown field or trailing text is an error naming it, so a typo is never silently ignored. What the
 * control API answers (heartbeats, publish checks, enrolment) is read tolerantly, so a control API that is newer
 * than the node, with fields the node does not know yet, still drives it during a rolling upgrade.
 */
public final class Json {
    /** For input from people: config files and node API requests. */
    public static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** For the control-plane protocol between nodes and the control API. */
    public static final ObjectMapper PROTOCOL = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }
}
