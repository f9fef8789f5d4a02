package accounts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** The caller's own account: who they are and their API keys. */
@Path("/api/me")
@Authenticated
@Tag(name = "Account")
public class MeResource {

    public record Me(String address, Set<String> roles) {
    }

    public record CreateApiKey(@NotNull @Size(min = 1, max = 100) String name) {
    }

    public record CreatedApiKey(UUID id, String name, String key) {
    }

    private final Accounts accounts;

    MeResource(Accounts accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "The signed-in wallet and its roles")
    public Me me() {
        Caller caller = accounts.currentCaller();
        return new Me(caller.address().value(), caller.roles());
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
    public Response revoke(@RestPath UUID id) {
        accounts.revokeApiKey(accounts.currentCaller(), id);
        return Response.noContent().build();
    }
}
