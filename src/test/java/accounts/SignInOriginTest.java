package accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignInOriginTest {

    @Test
    void theDomainIsTheAuthorityOfThePublicUrl() {
        SignInOrigin origin = new SignInOrigin("https://market.example:8443/", null);
        assertThat(origin.scheme()).isEqualTo("https");
        assertThat(origin.domain()).isEqualTo("market.example:8443");
        assertThat(origin.uri()).isEqualTo(URI.create("https://market.example:8443"));
    }

    @Test
    void aPublicUrlWithAPathKeepsItInTheMessagesUri() {
        SignInOrigin origin = new SignInOrigin("https://example.org/compute", null);
        assertThat(origin.domain()).isEqualTo("example.org");
        assertThat(origin.uri()).isEqualTo(URI.create("https://example.org/compute"));
    }

    @Test
    void aConfiguredDomainWinsAndTheUriIsOnIt() {
        SignInOrigin origin = new SignInOrigin("http://localhost:8080", "market.example");
        assertThat(origin.domain()).isEqualTo("market.example");
        assertThat(origin.uri()).isEqualTo(URI.create("http://market.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"market example", "#market", "market.example/login", "https://market.example", "market.example:port"})
    void aDomainThatIsNoAuthorityStopsTheStartWithTheSettingNamed(String domain) {
        assertThatThrownBy(() -> new SignInOrigin("http://localhost:8080", domain))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BC_SIWE_DOMAIN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8080", "/relative", "not a url"})
    void aPublicUrlThatIsNotAbsoluteStopsTheStartWithTheSettingNamed(String url) {
        assertThatThrownBy(() -> new SignInOrigin(url, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("BC_PUBLIC_URL");
    }
}
