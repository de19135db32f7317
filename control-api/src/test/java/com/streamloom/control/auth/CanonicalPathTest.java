package com.streamloom.control.auth;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every spelling of a path reads as one canonical form, and that form reads as itself. */
class CanonicalPathTest {

    @Test
    void spellingsOfOnePathShareItsCanonicalForm() {
        for (String spelling : DenyByDefaultTest.spellings("/api/v1/streams/abc")) {
            if (!spelling.equals(spelling.toUpperCase())) {
                assertThat(CanonicalPath.of(spelling)).as(spelling).contains("/api/v1/streams/abc");
            }
        }
        assertThat(CanonicalPath.of("/q/health/%2e%2e/%2e%2e/api/v1/streams")).contains("/api/v1/streams");
        assertThat(CanonicalPath.of("/a%5C..%5Cb")).contains("/b");
        assertThat(CanonicalPath.of("/../../x")).contains("/x");
        assertThat(CanonicalPath.of("/")).contains("/");
        assertThat(CanonicalPath.of("//")).contains("/");
    }

    @Test
    void onlyThePlainSpellingIsCanonical() {
        assertThat(CanonicalPath.isCanonical("/api/v1/streams")).isTrue();
        assertThat(CanonicalPath.isCanonical("/")).isTrue();
        assertThat(CanonicalPath.isCanonical("/api/v1/streams/")).isFalse();
        assertThat(CanonicalPath.isCanonical("/api;x/v1/streams")).isFalse();
        assertThat(CanonicalPath.isCanonical("/%61pi/v1/streams")).isFalse();
        assertThat(CanonicalPath.isCanonical("/api/v1/streams/a%2520b")).isFalse();
    }

    @Test
    void theDirectoryFormIsRoutableAndNothingElse() {
        assertThat(CanonicalPath.isRoutable("/q/swagger-ui/", "/q/swagger-ui")).isTrue();
        assertThat(CanonicalPath.isRoutable("/q/swagger-ui", "/q/swagger-ui")).isTrue();
        assertThat(CanonicalPath.isRoutable("/q/swagger-ui//", "/q/swagger-ui")).isFalse();
        assertThat(CanonicalPath.isRoutable("/q/./swagger-ui/", "/q/swagger-ui")).isFalse();
        assertThat(CanonicalPath.isRoutable("/", "/")).isTrue();
    }

    @Test
    void unreadablePathsHaveNoCanonicalForm() {
        assertThat(CanonicalPath.of("/api/%zz")).isEmpty();
        assertThat(CanonicalPath.of("/api/%4")).isEmpty();
        assertThat(CanonicalPath.of("/api/%c3%28")).isEmpty();
        assertThat(CanonicalPath.of("/api/%00x")).isEmpty();
        assertThat(CanonicalPath.of("api/v1")).isEmpty();
        assertThat(CanonicalPath.of(null)).isEmpty();
    }

    @Property(tries = 2000)
    void theCanonicalFormIsCanonical(@ForAll String raw) {
        CanonicalPath.of("/" + raw).ifPresent(c -> {
            assertThat(c).startsWith("/").doesNotContain("//");
            if (!c.contains("%") && !c.contains(";")) {
                assertThat(CanonicalPath.of(c)).contains(c);
            }
        });
    }
}
