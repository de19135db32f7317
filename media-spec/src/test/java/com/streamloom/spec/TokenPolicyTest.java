package com.streamloom.spec;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placeholders, short and low-entropy secrets are refused by name of the setting; random values pass. */
class TokenPolicyTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void randomValuesAsTheReadmeMakesThemPass() {
        for (int i = 0; i < 20_000; i++) {
            byte[] b24 = new byte[24];
            RANDOM.nextBytes(b24);
            assertThat(TokenPolicy.problem("t", Base64.getUrlEncoder().withoutPadding().encodeToString(b24))).isEmpty();
            byte[] b32 = new byte[32];
            RANDOM.nextBytes(b32);
            assertThat(TokenPolicy.problem("t", Base64.getEncoder().encodeToString(b32))).isEmpty();
            byte[] b16 = new byte[16];
            RANDOM.nextBytes(b16);
            assertThat(TokenPolicy.problem("t", HexFormat.of().formatHex(b16))).isEmpty();
        }
    }

    @Test
    void placeholdersAreRefusedWhateverTheirLength() {
        assertThatThrownBy(() -> TokenPolicy.require("streamloom.admin-token", "change-me-admin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamloom.admin-token").hasMessageContaining("placeholder");
        assertThat(TokenPolicy.problem("x", "CHANGEME-" + "Zq8vT3kPw9LmN2bR5yXa7cDf")).get().asString()
                .contains("placeholder");
    }

    @Test
    void shortTokensAreRefusedNamingTheSetting() {
        assertThat(TokenPolicy.problem("streamloom.node-token", "Zq8vT3kPw9LmN2bR5yXa7cD"))
                .get().asString().contains("streamloom.node-token").contains("24 characters").contains("has 23");
    }

    @Test
    void lowEntropyTokensAreRefused() {
        for (String weak : new String[]{"aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabcabcabcabcabc",
                "000000000000000000000000001", "passwordpasswordpassword", "qwertyqwertyqwertyqwerty"}) {
            assertThat(TokenPolicy.problem("s", weak)).as(weak).get().asString().contains("entropy");
        }
    }

    @Test
    void theMessageNeverRepeatsTheToken() {
        String token = "short-secret-value";
        assertThat(TokenPolicy.problem("s", token)).get().asString().doesNotContain(token);
        assertThat(TokenPolicy.problem("s", null)).get().asString().contains("not set");
    }
}
