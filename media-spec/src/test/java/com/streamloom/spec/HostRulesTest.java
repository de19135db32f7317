package com.streamloom.spec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outbound host rules: the default denies link-local and metadata hosts in every spelling; CIDR blocks match exactly. */
class HostRulesTest {
    private final HostRules defaults = HostRules.defaults();

    @Test
    void theDefaultDeniesLinkLocalAndCloudMetadataAndAllowsLoopbackAndPrivate() {
        for (String host : List.of("169.254.169.254", "169.254.0.1", "fe80::1", "[fe80::1]", "fd00:ec2::254",
                "metadata.google.internal", "METADATA.google.internal.", "100.100.100.200", "2852039166",
                "::ffff:169.254.169.254", "fe80::1%eth0")) {
            assertThatThrownBy(() -> defaults.checkSpelled("source.url", host)).as(host)
                    .isInstanceOf(SpecException.class).hasMessageStartingWith("source.url: host ")
                    .hasMessageContaining("is denied by outboundDeny rule");
        }
        for (String host : List.of("127.0.0.1", "localhost", "::1", "10.1.2.3", "192.168.0.10", "172.16.5.4",
                "camera.example.com", "100.100.100.201")) {
            assertThatCode(() -> defaults.checkSpelled("source.url", host)).as(host).doesNotThrowAnyException();
        }
    }

    @Test
    void theMessageNamesTheFieldAndTheRule() {
        assertThatThrownBy(() -> defaults.checkSpelled("output.forwardUrls[1]", "169.254.1.2"))
                .hasMessage("output.forwardUrls[1]: host 169.254.1.2 is denied by outboundDeny rule 169.254.0.0/16");
        assertThatThrownBy(() -> defaults.checkAddress("source.url", "cam.example.com", ip("169.254.169.254")))
                .hasMessage("source.url: host cam.example.com (169.254.169.254) is denied by outboundDeny rule"
                        + " 169.254.0.0/16");
    }

    @Test
    void anAllowListAdmitsOnlyWhatItNamesAndDenyStillWins() {
        HostRules rules = HostRules.of("outboundAllow", List.of("10.0.0.0/8", "cams.example.com"), "outboundDeny",
                List.of("10.9.0.0/16"));
        assertThatCode(() -> rules.checkAddress("source.url", "10.1.1.1", ip("10.1.1.1"))).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkAddress("source.url", "door.cams.example.com", ip("192.168.1.1")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> rules.checkAddress("source.url", "192.168.1.1", ip("192.168.1.1")))
                .hasMessageContaining("is not in outboundAllow");
        assertThatThrownBy(() -> rules.checkAddress("source.url", "10.9.1.1", ip("10.9.1.1")))
                .hasMessageContaining("denied by outboundDeny rule 10.9.0.0/16");
        // an explicit deny list replaces the default one
        HostRules ownDeny = HostRules.of("outboundAllow", List.of(), "outboundDeny", List.of("10.9.0.0/16"));
        assertThatCode(() -> ownDeny.checkSpelled("source.url", "169.254.169.254")).doesNotThrowAnyException();
        HostRules onlyNames = HostRules.of("outboundAllow", List.of("example.com"), "outboundDeny", List.of());
        assertThatThrownBy(() -> onlyNames.checkSpelled("source.url", "example.org"))
                .hasMessageContaining("is not in outboundAllow");
        assertThatCode(() -> onlyNames.checkSpelled("source.url", "cam.example.com")).doesNotThrowAnyException();
    }

    @Test
    void aBadEntryIsASettingErrorNamingIt() {
        assertThatThrownBy(() -> HostRules.of("a", List.of("10.0.0.0/33"), "d", null))
                .isInstanceOf(SpecException.class).hasMessageContaining("a: entry '10.0.0.0/33'");
        assertThatThrownBy(() -> HostRules.of("a", null, "d", List.of("not a host!")))
                .hasMessageContaining("d: entry 'not a host!'");
        assertThatThrownBy(() -> HostRules.of("a", null, "d", List.of(" ")))
                .hasMessageContaining("d: has an empty entry");
    }

    /** A /n block holds exactly the addresses whose first n bits are the network's: compared as numbers. */
    @Property(tries = 500)
    void aCidrBlockMatchesExactlyTheAddressesSharingItsPrefix(@ForAll int network, @ForAll int address,
                                                              @ForAll @IntRange(min = 0, max = 32) int prefix) {
        String block = ip4(network).getHostAddress() + "/" + prefix;
        HostRules rules = HostRules.of("allow", List.of(), "deny", List.of(block));
        long mask = prefix == 0 ? 0 : 0xFFFF_FFFFL << (32 - prefix) & 0xFFFF_FFFFL;
        boolean inside = ((network & 0xFFFF_FFFFL) & mask) == ((address & 0xFFFF_FFFFL) & mask);
        InetAddress a = ip4(address);
        boolean denied = denied(rules, a);
        assertThat(denied).as(a.getHostAddress() + " in " + block).isEqualTo(inside);
    }

    /** The same for IPv6 /0../128 blocks. */
    @Property(tries = 500)
    void anIpv6BlockMatchesExactlyTheAddressesSharingItsPrefix(@ForAll byte[] networkSeed, @ForAll byte[] addressSeed,
                                                               @ForAll @IntRange(min = 0, max = 128) int prefix) {
        InetAddress network = ip6(networkSeed);
        InetAddress address = ip6(addressSeed);
        HostRules rules = HostRules.of("allow", List.of(), "deny",
                List.of(network.getHostAddress() + "/" + prefix));
        BigInteger n = new BigInteger(1, network.getAddress()).shiftRight(128 - prefix);
        BigInteger a = new BigInteger(1, address.getAddress()).shiftRight(128 - prefix);
        assertThat(denied(rules, address)).isEqualTo(n.equals(a));
    }

    private static boolean denied(HostRules rules, InetAddress a) {
        try {
            rules.checkAddress("f", a.getHostAddress(), a);
            return false;
        } catch (SpecException e) {
            return true;
        }
    }

    private static InetAddress ip4(int v) {
        try {
            return InetAddress.getByAddress(new byte[]{(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** 16 bytes from a seed; never an IPv4-mapped address, which Java turns into IPv4. */
    private static InetAddress ip6(byte[] seed) {
        byte[] b = Arrays.copyOf(seed, 16);
        b[0] = (byte) (b[0] | 0x20);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ip(String literal) {
        return HostRules.spelledAddress(literal).orElseThrow();
    }
}
