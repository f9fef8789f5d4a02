package accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3986Test {

    @ParameterizedTest
    @ValueSource(strings = {"service.org", "localhost:8080", "127.0.0.1", "test@127.0.0.1:8080", "[::cafe]", "[::1]:8080",
            "[2001:db8::ff00:42:8329]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:192.0.2.1]", "[v1.fe80::a+en1]",
            "xn--bcher-kva.example", "a%20b.example", "host:"})
    void authorities(String authority) {
        assertThat(Rfc3986.isAuthority(authority)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#notrfc4501", "a b", "host/path", "[::cafe", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[:::]",
            "[1:2:3:4:5:6:7::8]", "[::256.0.0.1]", "[::1.2.3]", "host:80a", "us er@host", "@", "host:123456", "bücher.example"})
    void notAuthorities(String authority) {
        assertThat(Rfc3986.isAuthority(authority)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://service.org/login", "ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu",
            "https://127.0.0.1/?query=one#begin", "https://[::cafe]", "urn:isbn:0451450523", "did:key:z6Mk"})
    void uris(String uri) {
        assertThat(Rfc3986.isUri(uri)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {":not_a_rfc3986_valid_uri_", "https://service.org/login - https://service.org/login/2", "/relative",
            "https://exa mple.org", "https://example.org/ä", "https://example.org/%zz"})
    void notUris(String uri) {
        assertThat(Rfc3986.isUri(uri)).isFalse();
    }
}
