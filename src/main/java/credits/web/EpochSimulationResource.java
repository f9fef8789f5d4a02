package credits.web;

import credits.Settlement;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.web.BodyLimit;

/** Settlement rules on a made-up epoch: operators try reward shares, GPU buyers estimate yields. */
@Path("/api/epochs/simulate")
@Authenticated
@Tag(name = "Epochs", description = "Epoch settlement")
public class EpochSimulationResource {

    @POST
    @BodyLimit(16 * BodyLimit.MIB) // a whole network: 100,000 GPUs are about 11 MB of JSON
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Settle a made-up epoch and change nothing",
            description = "Runs the settlement rules (DESIGN section 7) on the given emission and pools: each pool gets"
                    + " floor(E * D_p / D); in it the operator gets floor(A_p * operatorBps / 10000), each GPU"
                    + " floor(floor(A_p * poolBps / 10000) * onlineSeconds / poolOnlineSeconds) and"
                    + " floor(floor(A_p * usedGpuBps / 10000) * dcConsumed / D_p). What the floors leave is the remainder.")
    @APIResponse(responseCode = "200", description = "The settlement")
    @APIResponse(responseCode = "400", description = "The scenario is malformed; detail says where and why")
    @APIResponse(responseCode = "401", description = "Not signed in")
    public SimulationResponse simulate(@Valid @NotNull SimulationRequest request) {
        return SimulationResponse.of(Settlement.settle(request.toScenario()));
    }
}
