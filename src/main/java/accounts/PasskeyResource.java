package accounts;

import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnSecurity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.DomainException;
import platform.web.BodyLimit;

/**
 * Passkey accounts (issue 11): sign up and sign in with a passkey (WebAuthn), for customers without
 * a wallet. Each ceremony is two calls: options (the challenge, kept by the WebAuthn extension in an
 * encrypted cookie), then the browser's answer, which the extension verifies against the relying
 * party and origins of configuration ({@code quarkus.webauthn.*}, from {@code bc.public-url}), never
 * the request's. Signing up makes the account and its managed wallet; both end in the same session
 * as a wallet's sign-in (bearer token and session cookie).
 */
@Path("/api/passkeys")
@Tag(name = "Passkeys")
@Produces(MediaType.APPLICATION_JSON)
public class PasskeyResource {

    @Schema(name = "PasskeyRegistrationOptionsRequest")
    public record OptionsRequest(
            @Schema(description = "A name for the account that the passkey manager shows (optional)", maxLength = 64, example = "Ada")
            @Size(max = 64) @Pattern(regexp = "[\\p{L}\\p{N} ._'-]*", message = "letters, digits, spaces and . _ ' - only")
            String displayName) {
    }

    @Schema(name = "PasskeyRegistration")
    public record Registration(
            @Schema(required = true, description = "The handle the options named") @NotNull @Pattern(regexp = "new-[0-9a-f-]{36}") String handle,
            @Schema(required = true, description = "The browser's PublicKeyCredential, as its toJSON() gives it") @NotNull
            Map<String, Object> credential) {
    }

    @Schema(name = "PasskeySignIn")
    public record SignIn(
            @Schema(required = true, description = "The browser's PublicKeyCredential, as its toJSON() gives it") @NotNull
            Map<String, Object> credential) {
    }

    private final WebAuthnSecurity webAuthn;
    private final PasskeyStore passkeys;
    private final Accounts accounts;
    private final SessionCookies cookies;

    PasskeyResource(WebAuthnSecurity webAuthn, PasskeyStore passkeys, Accounts accounts, SessionCookies cookies) {
        this.webAuthn = webAuthn;
        this.passkeys = passkeys;
        this.accounts = accounts;
        this.cookies = cookies;
    }

    @POST
    @Path("/registration/options")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @SignInRateLimited(SignInRateLimits.Action.NONCE)
    @Operation(summary = "Starts signing up with a passkey: the options for navigator.credentials.create, with the handle to send back")
    public Response registrationOptions(@Valid OptionsRequest request, RoutingContext context) {
        String handle = PasskeyStore.newHandle();
        String name = request == null || request.displayName() == null || request.displayName().isBlank()
                ? "Berkeley Compute account" : request.displayName().trim();
        String options = webAuthn.toJsonString(webAuthn.getRegisterChallenge(handle, name, context).await().indefinitely());
        return Response.ok("{\"handle\":\"" + handle + "\",\"publicKey\":" + options + "}").build();
    }

    @POST
    @Path("/registration")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @BodyLimit(32 * BodyLimit.KIB)
    @SignInRateLimited(SignInRateLimits.Action.SIGN_IN)
    @Operation(summary = "Finishes signing up: verifies the new passkey, makes the account and its managed wallet, and signs in")
    public Response register(@Valid @NotNull Registration registration, RoutingContext context) {
        WebAuthnCredentialRecord record = verified(() -> webAuthn.register(registration.handle(), json(registration.credential()), context)
                .await().indefinitely());
        return signedIn(passkeys.createAccount(record));
    }

    @POST
    @Path("/sign-in/options")
    @Blocking
    @SignInRateLimited(SignInRateLimits.Action.NONCE)
    @Operation(summary = "Starts signing in with a passkey: the options for navigator.credentials.get")
    public Response signInOptions(RoutingContext context) {
        return Response.ok("{\"publicKey\":" + webAuthn.toJsonString(webAuthn.getLoginChallenge(null, context).await().indefinitely()) + "}")
                .build();
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @BodyLimit(32 * BodyLimit.KIB)
    @SignInRateLimited(SignInRateLimits.Action.SIGN_IN)
    @Operation(summary = "Signs in with a passkey: verifies its answer to the challenge; gives a bearer token and sets the session cookie")
    public Response signIn(@Valid @NotNull SignIn signIn, RoutingContext context) {
        WebAuthnCredentialRecord record = verified(() -> webAuthn.login(json(signIn.credential()), context).await().indefinitely());
        passkeys.used(record);
        return signedIn(WalletAddress.of(record.getUsername()));
    }

    private Response signedIn(WalletAddress address) {
        SignedIn signedIn = accounts.signInWithPasskey(address);
        return Response.ok(new AuthResource.SignInResponse(signedIn.token(), signedIn.address().value(), signedIn.expiresAt()))
                .cookie(cookies.issue(signedIn)).build();
    }

    private static JsonObject json(Map<String, Object> credential) {
        try {
            return new JsonObject(credential);
        } catch (DecodeException | ClassCastException e) {
            throw DomainException.invalid("credential: not a PublicKeyCredential in JSON");
        }
    }

    /** The extension's verdict; any refusal (a wrong origin, challenge, signature, an unknown passkey) is a 401 that says so. */
    private static WebAuthnCredentialRecord verified(Supplier<WebAuthnCredentialRecord> ceremony) {
        try {
            return ceremony.get();
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SignInVerifier.refused("the passkey's answer did not verify: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }
}
