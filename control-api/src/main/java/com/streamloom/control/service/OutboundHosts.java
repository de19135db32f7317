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
     * Checks an http(s) URL the control API itself will call (a webhook, the publish hook): http or https, a host,
     * and a host the outbound rules allow as spelled; {@link #checkResolved} checks the addresses again before a call.
     *
     * @throws com.streamloom.control.api.ApiException 400 naming {@code field}
     */
    public void checkHttpUrl(String field, String url) {
        if (url == null || url.length() > 2048) {
            throw com.streamloom.control.api.ApiException.badRequest(field, "is required, at most 2048 characters");
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw com.streamloom.control.api.ApiException.badRequest(field, "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null) {
            throw com.streamloom.control.api.ApiException.badRequest(field,
                    "must be an http:// or https:// URL with a host and no user name");
        }
        Specs.validate(url, () -> {
            rules.checkSpelled(field, UrlHost.of(url));
            return url;
        });
    }

    /**
     * Checks the addresses the URL's host resolves to now, just before the control API connects (a name may resolve
     * to a denied address, e.g. the metadata service).
     *
     * @throws com.streamloom.spec.SpecException naming the rule, when one address is not allowed
     * @throws java.net.UnknownHostException when the name does not resolve
     */
    public void checkResolved(String field, java.net.URI uri) throws java.net.UnknownHostException {
        String host = UrlHost.of(uri.toString());
        for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
            rules.checkAddress(field, host, a);
        }
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
