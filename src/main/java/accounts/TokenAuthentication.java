package accounts;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Who is asking, from {@code Authorization: Bearer <session token or API key>} (the JSON API, the CLI)
 * or from the session cookie (the pages). A bad bearer token is a 401; a stale cookie just means
 * the visitor is not signed in.
 */
@ApplicationScoped
class TokenAuthentication implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";
    private static final String COOKIE_SCHEME = "cookie";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return identities.authenticate(new TokenAuthenticationRequest(
                    new TokenCredential(header.substring(BEARER.length()).trim(), "bearer")));
        }
        Cookie cookie = context.request().getCookie(SessionCookies.NAME);
        if (cookie != null && !cookie.getValue().isBlank()) {
            return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(cookie.getValue(), COOKIE_SCHEME)))
                    .onFailure(AuthenticationFailedException.class).recoverWithNull();
        }
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"berkeley-compute\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /** Turns a token into the wallet and roles behind it (a database lookup, so off the event loop). */
    @ApplicationScoped
    static class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

        private final Accounts accounts;

        TokenIdentityProvider(Accounts accounts) {
            this.accounts = accounts;
        }

        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
            String token = request.getToken().getToken();
            return context.runBlocking(() -> accounts.authenticate(token)
                    .map(caller -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(caller.address().value()))
                            .addRoles(caller.roles())
                            .addCredential(request.getToken())
                            .build())
                    .orElseThrow(() -> new AuthenticationFailedException("This token or API key is unknown, expired or revoked")));
        }
    }
}
