package accounts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** The caller's own account: who they are, their API keys, their e-mail address, and a passkey account's recovery code. */
@Path("/api/me")
@Authenticated
@Tag(name = "Account")
public class MeResource {

    public record Me(
            @Schema(required = true, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf") String address,
            @Schema(required = true, example = "[\"customer\"]") Set<String> roles,
            @Schema(required = true, enumeration = {"wallet", "passkey"},
                    description = "wallet: signs in with its own wallet; passkey: signs in with passkeys, its wallet kept by the platform")
            String kind,
            @Schema(description = "Where receipts would go (optional; no mail is sent yet); null when none", example = "ada@example.com")
            String email) {

        static Me of(Profile profile) {
            return new Me(profile.address().value(), profile.roles(), profile.passkeyAccount() ? "passkey" : "wallet", profile.email());
        }
    }

    public record SetEmail(
            @Schema(description = "An e-mail address for receipts, at most 254 characters; null or empty removes it",
                    maxLength = EmailAddress.MAX_LENGTH, example = "ada@example.com")
            @Size(max = EmailAddress.MAX_LENGTH) String email) {
    }

    public record NewRecoveryCode(
            @Schema(required = true, description = "The new recovery code, shown this once; the one before no longer works",
                    example = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA") String recoveryCode) {
        @Override
        public String toString() {
            return "NewRecoveryCode[…]";
        }
    }

    public record CreateApiKey(
            @Schema(required = true, description = "What the key is for, e.g. the host or script that will use it; no control characters",
                    minLength = 1, maxLength = Accounts.API_KEY_NAME_LENGTH, example = "gpu-host-07")
            @NotNull @Size(min = 1, max = Accounts.API_KEY_NAME_LENGTH)
            @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name) {
    }

    public record CreatedApiKey(
            @Schema(required = true, example = "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11") UUID id,
            @Schema(required = true, example = "gpu-host-07") String name,
            @Schema(required = true, description = "The secret, shown this once: send it as Authorization: Bearer <key>") String key) {
    }

    private final Accounts accounts;

    MeResource(Accounts accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "The signed-in account: its address, roles, kind and e-mail address")
    public Me me() {
        return Me.of(accounts.profile(accounts.currentCaller()));
    }

    @PUT
    @Path("/email")
    @Operation(summary = "Set or remove (null) the e-mail address for receipts; optional for every account, and no mail is sent yet")
    public Me setEmail(@Valid @NotNull SetEmail request) {
        return Me.of(accounts.setEmail(accounts.currentCaller(), request.email()));
    }

    @POST
    @Path("/recovery-code")
    @Operation(summary = "A new recovery code for a passkey account, shown in this response only; the old one stops working")
    public Response newRecoveryCode() {
        return Response.status(Response.Status.CREATED).entity(new NewRecoveryCode(accounts.newRecoveryCode(accounts.currentCaller())))
                .build();
    }

    @POST
    @Path("/api-keys")
    @Operation(summary = "Create an API key; the key is in this response only")
    public Response createApiKey(@Valid @NotNull CreateApiKey request) {
        NewApiKey key = accounts.createApiKey(accounts.currentCaller(), request.name());
        return Response.status(Response.Status.CREATED).entity(new CreatedApiKey(key.id(), key.name(), key.key())).build();
    }

    @GET
    @Path("/api-keys")
    @Operation(summary = "The caller's API keys, without their secrets")
    public List<ApiKey> apiKeys() {
        return accounts.apiKeys(accounts.currentCaller());
    }

    @DELETE
    @Path("/api-keys/{id}")
    @Operation(summary = "Revoke an API key; it stops working at once")
    public Response revoke(@Parameter(description = "The key's id, from GET /api/me/api-keys", required = true,
                                      schema = @Schema(type = SchemaType.STRING, format = "uuid", minLength = 36, maxLength = 36),
                                      example = "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11")
                           @RestPath String id) {
        accounts.revokeApiKey(accounts.currentCaller(), Accounts.apiKeyId(id));
        return Response.noContent().build();
    }
}
