package accounts;

import io.quarkus.security.Authenticated;
import io.quarkus.security.webauthn.WebAuthnCredentialRecord;
import io.quarkus.security.webauthn.WebAuthnSecurity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import platform.web.BodyLimit;

/**
 * The signed-in passkey account's passkeys: list, add another (a WebAuthn registration whose user
 * name is the account's address), rename, remove (never the last). Each acts on the caller's own
 * passkeys only: another account's passkey id is not found. A wallet account has no passkeys (403):
 * it signs in with its wallet.
 */
@Path("/api/me/passkeys")
@Authenticated
@Tag(name = "Account")
@Produces(MediaType.APPLICATION_JSON)
public class MyPasskeysResource {

    @Schema(name = "NewPasskey")
    public record NewPasskey(
            @Schema(description = "What to call it (optional; by default Passkey 2 for a second one)", maxLength = PasskeyName.MAX_LENGTH,
                    example = "Phone")
            @Size(max = PasskeyName.MAX_LENGTH) @Pattern(regexp = PasskeyName.CHARACTERS, message = "letters, digits, spaces and . _ ' - only")
            String name,
            @Schema(required = true, description = "The browser's PublicKeyCredential, as its toJSON() gives it") @NotNull
            Map<String, Object> credential) {
    }

    @Schema(name = "PasskeyRename")
    public record Rename(
            @Schema(required = true, description = "The passkey's new name: 1 to 64 letters, digits, spaces and . _ ' -",
                    minLength = 1, maxLength = PasskeyName.MAX_LENGTH, example = "Work laptop")
            @NotNull @Size(min = 1, max = PasskeyName.MAX_LENGTH)
            @Pattern(regexp = PasskeyName.CHARACTERS, message = "letters, digits, spaces and . _ ' - only") String name) {
    }

    private final WebAuthnSecurity webAuthn;
    private final PasskeyStore passkeys;
    private final Accounts accounts;

    MyPasskeysResource(WebAuthnSecurity webAuthn, PasskeyStore passkeys, Accounts accounts) {
        this.webAuthn = webAuthn;
        this.passkeys = passkeys;
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "The signed-in account's passkeys, oldest first (none for a wallet account)")
    public List<Passkey> list() {
        return passkeys.passkeys(accounts.currentCaller().address());
    }

    @POST
    @Path("/options")
    @Blocking
    @Operation(summary = "Starts adding a passkey to the signed-in passkey account: the options for navigator.credentials.create")
    public Response options(RoutingContext context) {
        WalletAddress address = accounts.currentCaller().address();
        passkeys.requirePasskeyAccount(address);
        String options = webAuthn.toJsonString(webAuthn.getRegisterChallenge(address.value(), "Berkeley Compute account", context)
                .await().indefinitely());
        return Response.ok("{\"publicKey\":" + options + "}").build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @BodyLimit(32 * BodyLimit.KIB)
    @Operation(summary = "Finishes adding a passkey: verifies the browser's answer to the options and adds it to the signed-in account")
    public Response add(@Valid @NotNull NewPasskey request, RoutingContext context) {
        WalletAddress address = accounts.currentCaller().address();
        passkeys.requirePasskeyAccount(address);
        PasskeyName name = request.name() == null || request.name().isBlank() ? null : new PasskeyName(request.name());
        WebAuthnCredentialRecord record;
        try {
            record = webAuthn.register(address.value(), PasskeyResource.json(request.credential()), context).await().indefinitely();
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DomainException.invalid("credential: the passkey's answer did not verify, nothing was added: "
                    + PasskeyResource.reason(e));
        }
        return Response.status(Response.Status.CREATED).entity(passkeys.add(address, record, name)).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renames one of the signed-in account's passkeys")
    public Passkey rename(@Parameter(description = "The passkey's id, from GET /api/me/passkeys", required = true,
                                     schema = @Schema(type = SchemaType.STRING, format = "uuid", minLength = 36, maxLength = 36))
                          @RestPath String id,
                          @Valid @NotNull Rename request) {
        WalletAddress address = accounts.currentCaller().address();
        passkeys.requirePasskeyAccount(address);
        return passkeys.rename(address, passkeyId(id), new PasskeyName(request.name()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Removes one of the signed-in account's passkeys; never its last one (409)")
    public Response remove(@Parameter(description = "The passkey's id, from GET /api/me/passkeys", required = true,
                                      schema = @Schema(type = SchemaType.STRING, format = "uuid", minLength = 36, maxLength = 36))
                           @RestPath String id) {
        WalletAddress address = accounts.currentCaller().address();
        passkeys.requirePasskeyAccount(address);
        passkeys.remove(address, passkeyId(id));
        return Response.noContent().build();
    }

    /** A passkey id as a client sends it; anything else is not one of the caller's passkeys (404). */
    private static UUID passkeyId(String id) {
        if (id != null && id.length() == 36) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                // refused below
            }
        }
        throw DomainException.notFound("id: not a passkey id; ids are UUIDs, listed by GET /api/me/passkeys");
    }
}
