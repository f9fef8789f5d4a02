package accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NextPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/account", "/pools/42?tab=gpus#top", "/pools/a%2Fb", "/search?q=a+b", "/a//b"})
    void aPathOnThisSiteIsFollowed(String next) {
        assertThat(NextPath.after(next)).isEqualTo(next);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example", "http:/evil.example",
            "javascript:alert(1)", "evil.example", "/%5Cevil.example", "/%5cevil", "%2F%2Fevil.example", "/%2F/evil.example",
            "/%252F%252Fevil.example", "/%255Cevil", "/\tevil", "/\n/evil.example", "/ /evil", "/\u0000", "/\u007f",
            "/%0a/evil", "/%zz", "/pools\\..\\..\\evil"})
    void anythingElseGoesHome(String next) {
        assertThat(NextPath.after(next)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {""})
    void withoutANextTheAccountPageIsWhereASignInGoes(String next) {
        assertThat(NextPath.after(next)).isEqualTo("/account");
        assertThat(NextPath.after(null)).isEqualTo("/account");
    }

    @ParameterizedTest
    @ValueSource(ints = {2001, 100_000})
    void anOverlongNextGoesHome(int length) {
        assertThat(NextPath.after("/" + "a".repeat(length))).isEqualTo("/");
    }
}
