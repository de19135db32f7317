package com.streamloom.node.runtime;

import java.util.function.Function;

/**
 * What a node's entries are, for the runtime's messages, statuses and routes.
 *
 * @param name     {@code stream} or {@code composition}: in statuses and in {@code PUT /api/<name>s/{name}}
 * @param specType the JSON type of a spec
 * @param nameOf   the name an entry of a spec runs under (unique on the node)
 */
public record EntryKind<S>(String name, Class<S> specType, Function<S, String> nameOf) {
}
