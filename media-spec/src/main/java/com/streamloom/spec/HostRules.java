package com.streamloom.spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which hosts a spec may make a node connect to (a pull's source, a forward target): an allow list and a deny list of
 * CIDR blocks ({@code 10.0.0.0/8}, {@code fe80::/10}), single addresses and host names (a name also covers its
 * subdomains). A host passes when the allow list is empty or matches it, and the deny list does not; deny wins. The
 * default denies link-local addresses and the cloud metadata services, where a URL from the network API could read a
 * machine's credentials; loopback and private networks stay allowed, as on-premises cameras and the cluster's own
 * nodes live there. The control API checks the hosts a spec spells (names and literal addresses); a node checks every
 * address a name resolves to, right before it connects to one of them.
 */
public final class HostRules {
    /** Link-local (IPv4, IPv6) and the metadata services of AWS, GCP and Alibaba Cloud. */
    public static final List<String> DEFAULT_DENY = List.of("169.254.0.0/16", "fe80::/10", "169.254.169.254",
            "fd00:ec2::254", "metadata.google.internal", "100.100.100.200");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,10}");
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private final String allowSetting;
    private final String denySetting;
    private final List<Rule> allow;
    private final List<Rule> deny;

    private HostRules(String allowSetting, List<String> allow, String denySetting, List<String> deny) {
        this.allowSetting = allowSetting;
        this.denySetting = denySetting;
        this.allow = parse(allowSetting, allow);
        this.deny = parse(denySetting, deny);
    }

    /**
     * @param allowSetting the setting's name, used in messages (e.g. {@code outboundAllow})
     * @param allow        entries a host must match; empty: any host
     * @param denySetting  likewise for the deny list
     * @param deny         entries no host may match; null: {@link #DEFAULT_DENY}
     * @throws SpecException naming the setting and the entry that is no CIDR, address or host name
     */
    public static HostRules of(String allowSetting, List<String> allow, String denySetting, List<String> deny) {
        return new HostRules(allowSetting, allow == null ? List.of() : allow, denySetting,
                deny == null ? DEFAULT_DENY : deny);
    }

    /** No allow list, the default deny list. */
    public static HostRules defaults() {
        return of("outboundAllow", null, "outboundDeny", null);
    }

    /**
     * Checks a host as a spec spells it, without resolving it: a name against the name entries, a literal address
     * against every entry.
     *
     * @throws SpecException naming {@code field} and the rule, when the host is not allowed
     */
    public void checkSpelled(String field, String host) {
        String h = normalise(host);
        Optional<InetAddress> literal = literal(h);
        if (literal.isPresent()) {
            checkAddress(field, h, literal.get());
            return;
        }
        for (Rule r : deny) {
            if (r.matchesName(h)) {
                throw new SpecException(field, "host " + h + " is denied by " + denySetting + " rule " + r.text);
            }
        }
        // a name that resolves to an allowed address may still be allowed: only the node can tell
        if (!allow.isEmpty() && allow.stream().allMatch(Rule::named)
                && allow.stream().noneMatch(r -> r.matchesName(h))) {
            throw new SpecException(field, "host " + h + " is not in " + allowSetting);
        }
    }

    /**
     * Checks one resolved address of {@code host} (the name the spec gave, for its name entries).
     *
     * @throws SpecException naming {@code field} and the rule, when the address is not allowed
     */
    public void checkAddress(String field, String host, InetAddress address) {
        String h = normalise(host);
        for (Rule r : deny) {
            if (r.matches(h, address)) {
                throw new SpecException(field, "host " + h + describe(h, address) + " is denied by " + denySetting
                        + " rule " + r.text);
            }
        }
        if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.matches(h, address))) {
            throw new SpecException(field, "host " + h + describe(h, address) + " is not in " + allowSetting);
        }
    }

    private static String describe(String host, InetAddress address) {
        String a = address.getHostAddress();
        return host.equalsIgnoreCase(a) ? "" : " (" + a + ")";
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * The address a host spells as a literal (without brackets or a trailing dot), without any name lookup; empty for
     * a name. Besides dotted quads and IPv6 it reads a lone decimal number as an IPv4 address, as the C resolver
     * (and so FFmpeg) does.
     */
    public static Optional<InetAddress> spelledAddress(String host) {
        return literal(normalise(host));
    }

    private static Optional<InetAddress> literal(String host) {
        try {
            if (IPV4.matcher(host).matches()) {
                for (String octet : host.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        return Optional.empty();
                    }
                }
                return Optional.of(InetAddress.getByName(host)); // a valid dotted quad is parsed, never looked up
            }
            if (DECIMAL.matcher(host).matches() && Long.parseLong(host) <= 0xFFFF_FFFFL) {
                long v = Long.parseLong(host);
                return Optional.of(InetAddress.getByAddress(new byte[]{(byte) (v >> 24), (byte) (v >> 16),
                        (byte) (v >> 8), (byte) v}));
            }
            if (host.indexOf(':') >= 0) {
                // with a ':' only a literal is tried, no lookup; a zone (fe80::1%eth0) names no other address
                int zone = host.indexOf('%');
                return Optional.of(InetAddress.getByName(zone < 0 ? host : host.substring(0, zone)));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static List<Rule> parse(String setting, List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (String e : entries) {
            if (e == null || e.isBlank()) {
                throw new SpecException(setting, "has an empty entry");
            }
            rules.add(Rule.parse(setting, e.strip()));
        }
        return List.copyOf(rules);
    }

    /** One entry: a name (and its subdomains), or an address block. */
    private record Rule(String text, String name, byte[] network, int prefix) {
        static Rule parse(String setting, String text) {
            String t = normalise(text);
            int slash = t.indexOf('/');
            String addressPart = slash < 0 ? t : t.substring(0, slash);
            Optional<InetAddress> address = literal(addressPart);
            if (address.isEmpty()) {
                if (slash >= 0 || !NAME.matcher(t).matches()) {
                    throw new SpecException(setting, "entry '" + text + "' is neither a CIDR block, an address nor a"
                            + " host name");
                }
                return new Rule(text, t, null, 0);
            }
            byte[] bytes = address.get().getAddress();
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new SpecException(setting, "entry '" + text + "' has a prefix length outside 0.."
                            + bytes.length * 8);
                }
            }
            return new Rule(text, null, bytes, prefix);
        }

        boolean named() {
            return name != null;
        }

        boolean matchesName(String host) {
            return name != null && (host.equals(name) || host.endsWith("." + name));
        }

        boolean matches(String host, InetAddress address) {
            return named() ? matchesName(host) : contains(address);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                a = mapped(a, network.length);
                if (a == null) {
                    return false;
                }
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }

        /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4 and back, so one spelling cannot dodge a rule. */
        private static byte[] mapped(byte[] a, int length) {
            if (a.length == 16 && length == 4) {
                for (int i = 0; i < 10; i++) {
                    if (a[i] != 0) {
                        return null;
                    }
                }
                if ((a[10] & 0xFF) != 0xFF || (a[11] & 0xFF) != 0xFF) {
                    return null;
                }
                return java.util.Arrays.copyOfRange(a, 12, 16);
            }
            if (a.length == 4 && length == 16) {
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xFF;
                v6[11] = (byte) 0xFF;
                System.arraycopy(a, 0, v6, 12, 4);
                return v6;
            }
            return null;
        }
    }
}
