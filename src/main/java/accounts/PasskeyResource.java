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
import java.time.Instant;
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
 * as a wallet's sign-in (bearer token and session cookie). Signing up also gives the account's
 * recovery code, shown once; the code opens the account once ({@code POST /api/passkeys/recovery})
 * when its passkeys are lost, after which its owner adds a new passkey and makes a new code.
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

    @Schema(name = "PasskeyRecovery")
    public record Recovery(
            @Schema(required = true, description = "The passkey account's address", minLength = 42, maxLength = 42,
                    pattern = "^0x[0-9a-fA-F]{40}$", example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")
            @NotNull @Size(min = 42, max = 42) @Pattern(regexp = "0x[0-9a-fA-F]{40}", message = "must be 0x and 40 hex digits")
            String address,
            @Schema(required = true, description = "The recovery code as it was shown; case, dashes and spaces do not matter",
                    maxLength = 64, example = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA")
            @NotNull @Size(max = 64) @Pattern(regexp = "[A-Za-z2-7 -]*", message = "must be letters A-Z, digits 2-7, dashes and spaces")
            String code) {
        @Override
        public String toString() {
            return "Recovery[" + address + "]";
        }
    }

    @Schema(name = "PasskeySignUp", description = "Signed in, with the new account's recovery code")
    public record SignUpResponse(
            @Schema(required = true, description = "Bearer token for Authorization: Bearer <token>") String token,
            @Schema(required = true, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf") String address,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true, description = "The account's recovery code, shown this once: it opens the account once if its "
                    + "passkeys are lost", example = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA") String recoveryCode) {
        @Override
        public String toString() {
            return "SignUpResponse[" + address + "]"; // neither the token nor the code in a log
        }
    }

    @Schema(name = "PasskeyRecoverySignIn", description = "Signed in with the recovery code, which is now used up")
    public record RecoveryResponse(
            @Schema(required = true, description = "Bearer token for Authorization: Bearer <token>") String token,
            @Schema(required = true, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf") String address,
            @Schema(required = true) Instant expiresAt,
            @Schema(required = true, description = "What to do now") String next) {
    }

    static final String AFTER_RECOVERY = "The recovery code is used up. Add a new passkey now (POST /api/me/passkeys/options, then "
            + "POST /api/me/passkeys, or \"Add a passkey\" on /account) and make a new recovery code (POST /api/me/recovery-code)";

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
    @Operation(summary = "Finishes signing up: verifies the new passkey, makes the account, its managed wallet and its recovery "
            + "code (in this answer only), and signs in")
    public Response register(@Valid @NotNull Registration registration, RoutingContext context) {
        WebAuthnCredentialRecord record = verified(() -> webAuthn.register(registration.handle(), json(registration.credential()), context)
                .await().indefinitely());
        PasskeyStore.NewAccount account = passkeys.createAccount(record);
        SignedIn signedIn = accounts.signInWithPasskey(account.address());
        return Response.ok(new SignUpResponse(signedIn.token(), signedIn.address().value(), signedIn.expiresAt(), account.recoveryCode()))
                .cookie(cookies.issue(signedIn)).build();
    }

    @POST
    @Path("/recovery")
    @Consumes(MediaType.APPLICATION_JSON)
    @SignInRateLimited(SignInRateLimits.Action.SIGN_IN)
    @Operation(summary = "Signs in to a passkey account with its recovery code, once: the code is used up, and a new passkey and a "
            + "new code should follow; a wrong or used code is a 401 that changes nothing")
    public Response recover(@Valid @NotNull Recovery recovery) {
        SignedIn signedIn = accounts.signInWithRecoveryCode(WalletAddress.of(recovery.address()), RecoveryCode.parse(recovery.code()));
        return Response.ok(new RecoveryResponse(signedIn.token(), signedIn.address().value(), signedIn.expiresAt(), AFTER_RECOVERY))
                .cookie(cookies.issue(signedIn)).build();
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

    static JsonObject json(Map<String, Object> credential) {
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
            throw SignInVerifier.refused("the passkey's answer did not verify: " + reason(e));
        }
    }

    /** What the extension said was wrong with an answer. */
    static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
