package pools.web;

import accounts.Accounts;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import pools.GpuUuid;
import pools.HeartbeatReceipt;
import pools.LeaseSource;
import pools.Pools;

/** What the node agent on each GPU host talks to, with the operator's API key. */
@Path("/api/agent")
@Authenticated
@Tag(name = "Node agent")
public class AgentResource {

    /** One host's GPUs by UUID: bounded here, before any work, so that a heartbeat costs the same whatever it names. */
    public record HeartbeatRequest(
            @NotNull @Size(min = 1, max = Pools.MAX_HEARTBEAT_GPUS, message = "one heartbeat names 1 to " + Pools.MAX_HEARTBEAT_GPUS
                    + " GPUs (a host with more sends several)")
            List<@NotNull @Size(max = GpuUuid.MAX_LENGTH, message = "a GPU UUID has at most " + GpuUuid.MAX_LENGTH
                    + " characters, such as GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab") String> gpus) {
    }

    public record HeartbeatResponse(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds) {
    }

    public record LeaseFeed(List<LeaseSource.Lease> leases, Instant serverTime) {
    }

    private final Pools pools;
    private final Accounts accounts;
    private final Clock clock;

    AgentResource(Pools pools, Accounts accounts, Clock clock) {
        this.pools = pools;
        this.accounts = accounts;
        this.clock = clock;
    }

    @POST
    @Path("/heartbeats")
    @Operation(summary = "One heartbeat for each GPU of this host (by UUID); GPUs the caller does not operate come back as unknown")
    public HeartbeatResponse heartbeat(@Valid @NotNull HeartbeatRequest request) {
        HeartbeatReceipt receipt = pools.heartbeat(accounts.currentCaller(), request.gpus());
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
