package accounts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestHeader;

/** Sign-In with Ethereum for the JSON API and the sign-in page. */
@Path("/api/auth")
@Tag(name = "Sign-in")
public class AuthResource {

    public record NonceResponse(String nonce) {
    }

    public record MessageRequest(@NotBlank String address) {
    }

    public record SignInRequest(@NotBlank String message, @NotBlank String signature) {
    }

    public record SignInResponse(String token, String address, Instant expiresAt) {
    }

    private final Accounts accounts;
    private final SessionCookies cookies;

    AuthResource(Accounts accounts, SessionCookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
    }

    @GET
    @Path("/nonce")
    @Operation(summary = "A single-use nonce for an EIP-4361 sign-in message")
    public NonceResponse nonce() {
        return new NonceResponse(accounts.issueNonce());
    }

    @POST
    @Path("/message")
    @Operation(summary = "A ready-made EIP-4361 message for this server, with a fresh nonce, for a wallet to sign")
    public SignInChallenge message(@Valid @NotNull MessageRequest request, UriInfo uri) {
        URI origin = uri.getBaseUri().resolve("/");
        String base = origin.toString();
        return accounts.challenge(WalletAddress.of(request.address()), URI.create(base.substring(0, base.length() - 1)));
    }

    @POST
    @Path("/siwe")
    @Operation(summary = "Sign in with a signed EIP-4361 message; gives a bearer token and sets the session cookie")
    public Response signIn(@Valid @NotNull SignInRequest request, @RestHeader(HttpHeaders.HOST) String host) {
        SignedIn signedIn = accounts.signIn(request.message(), request.signature(), host);
        return Response.ok(new SignInResponse(signedIn.token(), signedIn.address().value(), signedIn.expiresAt()))
                .cookie(cookies.issue(signedIn))
                .build();
    }

    @POST
    @Path("/signout")
    @Authenticated
    @Operation(summary = "End the current session (its token and cookie stop working)")
    public Response signOut(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                            @RestCookie(SessionCookies.NAME) String cookie) {
        accounts.signOut(tokenOf(authorization, cookie));
        return Response.noContent().cookie(cookies.cleared()).build();
    }

    static String tokenOf(String authorization, String cookie) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return cookie;
    }
}
