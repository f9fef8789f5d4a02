package pools.web;

import accounts.Accounts;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import pools.WorkloadReport;
import pools.WorkloadState;

/** What the node agent on each GPU host talks to, with the operator's API key. */
@Path("/api/agent")
@Authenticated
@Tag(name = "Node agent")
public class AgentResource {

    /**
     * One host's GPUs by UUID, and optionally the state of each lease's workload on the host: bounded
     * here, before any work, so that a heartbeat costs the same whatever it names.
     */
    public record HeartbeatRequest(
            @NotNull @Size(min = 1, max = Pools.MAX_HEARTBEAT_GPUS, message = "one heartbeat names 1 to " + Pools.MAX_HEARTBEAT_GPUS
                    + " GPUs (a host with more sends several)")
            List<@NotNull @Size(max = GpuUuid.MAX_LENGTH, message = "a GPU UUID has at most " + GpuUuid.MAX_LENGTH
                    + " characters, such as GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab") String> gpus,
            @Size(max = Pools.MAX_HEARTBEAT_GPUS, message = "one heartbeat reports at most " + Pools.MAX_HEARTBEAT_GPUS
                    + " workloads (one per lease of the host)")
            List<@NotNull @Valid Report> workloads) {
    }

    /** One lease's workload: its state (STARTING, RUNNING, FAILED, STOPPED), why it failed, and its endpoint host:port. */
    public record Report(
            @NotNull(message = "workloads.leaseId: say which lease of the feed this reports on")
            @Size(max = WorkloadReport.MAX_LEASE_ID_LENGTH, message = "workloads.leaseId: at most " + WorkloadReport.MAX_LEASE_ID_LENGTH
                    + " characters") String leaseId,
            @NotNull(message = "workloads.state: one of STARTING, RUNNING, FAILED, STOPPED")
            @Pattern(regexp = "STARTING|RUNNING|FAILED|STOPPED", message = "workloads.state: one of STARTING, RUNNING, FAILED, STOPPED")
            String state,
            @Size(max = WorkloadReport.MAX_REASON_LENGTH, message = "workloads.reason: at most " + WorkloadReport.MAX_REASON_LENGTH
                    + " characters") String reason,
            @Size(max = WorkloadReport.MAX_ENDPOINT_LENGTH, message = "workloads.endpoint: at most " + WorkloadReport.MAX_ENDPOINT_LENGTH
                    + " characters") String endpoint) {

        WorkloadReport parse() {
            return new WorkloadReport(leaseId, WorkloadState.valueOf(state), reason, endpoint);
        }
    }

    public record HeartbeatResponse(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds,
                                    List<String> refusedReports) {
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
    @Operation(summary = "One heartbeat for each GPU of this host (by UUID), with the state and endpoint of each lease's workload;"
            + " GPUs the caller does not operate come back as unknown, reports of leases the feed does not give them as refused")
    public HeartbeatResponse heartbeat(@Valid @NotNull HeartbeatRequest request) {
        List<WorkloadReport> reports = request.workloads() == null ? List.of() : request.workloads().stream().map(Report::parse).toList();
        HeartbeatReceipt receipt = pools.heartbeat(accounts.currentCaller(), request.gpus(), reports);
        return new HeartbeatResponse(receipt.accepted(), receipt.unknown(), receipt.serverTime(), receipt.intervalSeconds(),
                receipt.refusedReports());
    }

    @GET
    @Path("/leases")
    @Operation(summary = "The leases (current and upcoming) of the GPUs the caller operates, from every lease source")
    public LeaseFeed leases() {
        Instant now = clock.instant();
        return new LeaseFeed(pools.leases(accounts.currentCaller(), now), now);
    }
}
