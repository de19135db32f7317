package com.streamloom.media.net;

import com.streamloom.spec.HostRules;
import com.streamloom.spec.SpecException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Resolves the host of an outbound connection a spec asked for, once, and checks every address it has against the
 * node's {@link HostRules}; the caller then connects to the returned address and no other. A name that also resolves
 * to a denied address is refused as a whole, and resolving only once closes the gap in which a second lookup (DNS
 * rebinding) could answer differently from the one that was checked.
 */
public final class OutboundAddress {
    private OutboundAddress() {
    }

    /**
     * @param field the spec field that named the host, for the error (e.g. {@code source.url})
     * @return the checked address to connect to
     * @throws SpecException naming the field and the rule when an address is not allowed, or when the host does
     *                       not resolve
     */
    public static InetAddress resolve(HostRules rules, String field, String host) {
        InetAddress[] all;
        try {
            java.util.Optional<InetAddress> literal = HostRules.spelledAddress(host);
            all = literal.isPresent() ? new InetAddress[]{literal.get()} : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new SpecException(field, "host " + host + " does not resolve");
        }
        for (InetAddress a : all) {
            rules.checkAddress(field, host, a);
        }
        return all[0];
    }
}
