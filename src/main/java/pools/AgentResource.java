package pools;

import accounts.Accounts;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the node agent on each GPU host talks to, with the operator's API key. */
@Path("/api/agent")
@Authenticated
@Tag(name = "Node agent")
public class AgentResource {

    public record HeartbeatRequest(@NotNull @Size(min = 1, max = 1024) List<@NotNull String> gpus) {
    }

    public record HeartbeatResponse(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds) {
    }

    public record LeaseFeed(List<LeaseSource.Lease> leases, Instant serverTime) {
    }

    private final Heartbeats heartbeats;
    private final Pools pools;
    private final Accounts accounts;
    private final java.time.Clock clock;

    AgentResource(Heartbeats heartbeats, Pools pools, Accounts accounts, java.time.Clock clock) {
        this.heartbeats = heartbeats;
        this.pools = pools;
        this.accounts = accounts;
        this.clock = clock;
    }

    @POST
    @Path("/heartbeats")
    @Operation(summary = "One heartbeat for each GPU of this host (by UUID); GPUs the caller does not operate come back as unknown")
    public HeartbeatResponse heartbeat(@Valid @NotNull HeartbeatRequest request) {
        Heartbeats.Receipt receipt = heartbeats.accept(accounts.currentCaller(), request.gpus());
        return new HeartbeatResponse(receipt.accepted(), receipt.unknown(), receipt.serverTime(), receipt.intervalSeconds());
    }

    @GET
    @Path("/leases")
    @Operation(summary = "The leases (current and upcoming) of the GPUs the caller operates, from every lease source")
    public LeaseFeed leases() {
        Instant now = clock.instant();
        return new LeaseFeed(pools.leases(accounts.currentCaller(), now), now);
    }
}
