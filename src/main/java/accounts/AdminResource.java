package accounts;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What admins see of the accounts. */
@Path("/api/admin/accounts")
@RolesAllowed(Caller.ADMIN)
@Tag(name = "Admin")
public class AdminResource {

    private final Accounts accounts;

    AdminResource(Accounts accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(summary = "Every wallet that has signed in, with its roles and number of active API keys")
    public List<Account> accounts() {
        return accounts.accounts();
    }
}
