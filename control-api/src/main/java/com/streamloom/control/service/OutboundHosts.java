package com.streamloom.control.service;

import com.streamloom.control.ControlConfig;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.StreamSpec;
import com.streamloom.spec.UrlHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Refuses a stream spec whose pull source or forward target names a host the cluster's outbound rules deny, naming
 * the field and the rule (a 400 through {@link Specs#validate}). Only what the spec spells can be checked here; a name
 * that resolves to a denied address is refused by the node that would connect.
 */
@ApplicationScoped
public class OutboundHosts {
    private final HostRules rules;

    @Inject
    public OutboundHosts(ControlConfig config) {
        this.rules = HostRules.of("streamloom.outbound.allow", config.outbound().allow().orElse(List.of()),
                "streamloom.outbound.deny", config.outbound().deny().orElse(null));
    }

    /**
     * @return {@code spec}, when every host it names is allowed
     * @throws com.streamloom.spec.SpecException naming the field whose host is not allowed
     */
    StreamSpec checked(StreamSpec spec) {
        if (spec.source().isPull()) {
            rules.checkSpelled("source.url", UrlHost.of(spec.source().url()));
        }
        List<String> forwards = spec.output().forwardUrls();
        for (int i = 0; i < forwards.size(); i++) {
            rules.checkSpelled("output.forwardUrls[" + i + "]", UrlHost.of(forwards.get(i)));
        }
        return spec;
    }
}
