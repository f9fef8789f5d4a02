package accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/** The session cookie of the pages: HttpOnly, SameSite=Lax, Secure when configured. */
@ApplicationScoped
class SessionCookies {

    static final String NAME = "bc_session";

    private final AccountsConfig config;

    SessionCookies(AccountsConfig config) {
        this.config = config;
    }

    NewCookie issue(SignedIn signedIn) {
        return cookie(signedIn.token(), (int) config.session().ttl().toSeconds());
    }

    NewCookie cleared() {
        return cookie("", 0);
    }

    private NewCookie cookie(String value, int maxAgeSeconds) {
        return new NewCookie.Builder(NAME)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(config.session().secureCookie())
                .sameSite(NewCookie.SameSite.LAX)
                .maxAge(maxAgeSeconds)
                .build();
    }
}
