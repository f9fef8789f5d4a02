package accounts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestHeader;

/** Sign-In with Ethereum for the JSON API and the sign-in page. */
@Path("/api/auth")
@Tag(name = "Sign-in")
public class AuthResource {

    /** The longest signature accepted: "0x" and 65 bytes in hex. */
    static final int SIGNATURE_LENGTH = 132;
    private static final String TOO_MANY = "Too many requests from this address: the problem body and Retry-After say when to retry";

    @Schema(description = "A single-use nonce, with what a message made by the client must name")
    public record NonceResponse(
            @Schema(required = true, description = "Single use, valid for bc.siwe.nonce-ttl", example = "4f9c0e1a2b3d4c5e6f708192a3b4c5d6")
            String nonce,
            @Schema(required = true, description = "The domain (host[:port]) the message must name: this server's, from configuration",
                    example = "market.example")
            String domain,
            @Schema(required = true, description = "A URI on that domain for the message's URI field", example = "https://market.example")
            String uri,
            @Schema(required = true, description = "The chain id the message must carry", example = "31337")
            long chainId) {
    }

    public record MessageRequest(
            @Schema(required = true, description = "The wallet that will sign (EIP-55 or all-lowercase hex)",
                    minLength = 42, maxLength = 42, pattern = "^0x[0-9a-fA-F]{40}$",
                    example = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
            @NotBlank @Size(max = 42) String address) {
    }

    public record SignInRequest(
            @Schema(required = true, description = "The exact EIP-4361 text the wallet signed", maxLength = SiweMessage.MAX_LENGTH,
                    example = "market.example wants you to sign in with your Ethereum account:\n"
                            + "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\n\nSign in to Berkeley Compute.\n\n"
                            + "URI: https://market.example\nVersion: 1\nChain ID: 31337\nNonce: 4f9c0e1a2b3d4c5e\n"
                            + "Issued At: 2026-01-31T12:00:00Z\nExpiration Time: 2026-01-31T12:10:00Z")
            @NotBlank @Size(max = SiweMessage.MAX_LENGTH) String message,
            @Schema(required = true, description = "EIP-191 personal_sign signature: 65 bytes (r, s, v) in hex",
                    minLength = 130, maxLength = SIGNATURE_LENGTH, pattern = "^(0x)?[0-9a-fA-F]{130}$",
                    example = "0x0c5d78f9f565f26b957506b6fd9c0205387cc05d827c6f2cc52d5dd29abf03171f60f8dda0bc3cbb3dc044c06a226f85fd33f64bc38d66b79b3d0b3d322c73f51b")
            @NotBlank @Pattern(regexp = "(0x)?[0-9a-fA-F]{130}", message = "must be 65 bytes (r, s, v) in hex: 0x and 130 hex digits")
            String signature) {
    }

    public record SignInResponse(
            @Schema(required = true, description = "Bearer token for Authorization: Bearer <token>") String token,
            @Schema(required = true, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf") String address,
            @Schema(required = true) Instant expiresAt) {
    }

    private final Accounts accounts;
    private final SessionCookies cookies;

    AuthResource(Accounts accounts, SessionCookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
    }

    @GET
    @Path("/nonce")
    @SignInRateLimited(SignInRateLimits.Action.NONCE)
    @Operation(summary = "A single-use nonce for an EIP-4361 sign-in message, and the domain, URI and chain id the message must name")
    @APIResponse(responseCode = "429", description = TOO_MANY)
    public NonceResponse nonce() {
        SignInTerms terms = accounts.signInTerms();
        return new NonceResponse(accounts.issueNonce(), terms.domain(), terms.uri().toString(), terms.chainId());
    }

    @POST
    @Path("/message")
    @SignInRateLimited(SignInRateLimits.Action.NONCE)
    @Operation(summary = "A ready-made EIP-4361 message for this server, with a fresh nonce, for a wallet to sign")
    @APIResponse(responseCode = "429", description = TOO_MANY)
    public SignInChallenge message(@Valid @NotNull MessageRequest request) {
        return accounts.challenge(WalletAddress.of(request.address()));
    }

    @POST
    @Path("/siwe")
    @SignInRateLimited(SignInRateLimits.Action.SIGN_IN)
    @Operation(summary = "Sign in with a signed EIP-4361 message; gives a bearer token and sets the session cookie")
    @APIResponse(responseCode = "429", description = TOO_MANY)
    public Response signIn(@Valid @NotNull SignInRequest request) {
        SignedIn signedIn = accounts.signIn(request.message(), request.signature());
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
