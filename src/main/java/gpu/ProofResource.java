package gpu;

import accounts.Accounts;
import gpu.proof.ProofWire;
import gpu.report.SignedReport;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.web.BodyLimit;

/**
 * Proof of GPU's JSON API (docs/gpu-certification.md, "Protocol"): certification sessions, their
 * steps and reports, and the node agent's spot checks. Every call is the operator's own.
 */
@Path("/api/gpu")
@Tag(name = "Proof of GPU")
@Authenticated
public class ProofResource {

    @Schema(description = "The GPUs of one host that a certification session proves together")
    public record NewSession(
            @Schema(required = true, description = "1 to 16 GPUs, each with its UUID and the model it is")
            @NotNull @Size(min = 1, max = ProofSessions.MAX_GPUS) List<ProofOfGpu.ClaimedGpu> gpus) {
    }

    @Schema(description = "The GPUs this host serves, whose due spot checks the agent asks for")
    public record SpotPoll(@Schema(required = true) @NotNull @Size(max = 64) List<String> gpus) {
    }

    private static final String ID_EXAMPLE = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";

    private final ProofOfGpu proof;
    private final Certification certification;
    private final Accounts accounts;

    ProofResource(ProofOfGpu proof, Certification certification, Accounts accounts) {
        this.proof = proof;
        this.certification = certification;
        this.accounts = accounts;
    }

    @POST
    @Path("sessions")
    @Operation(summary = "Open a certification session for a host's GPUs; the reply names the first step")
    @APIResponse(responseCode = "201", description = "Opened")
    public Response open(@NotNull NewSession request) {
        return Response.status(Response.Status.CREATED).entity(proof.openSession(accounts.currentCaller(), request.gpus())).build();
    }

    @GET
    @Path("sessions")
    @Operation(summary = "The caller's proof sessions, newest first (at most 50)")
    public List<ProofSession> sessions() {
        return proof.sessions(accounts.currentCaller());
    }

    @GET
    @Path("sessions/{id}")
    @Operation(summary = "A proof session: its GPUs' measured times and the step it waits for")
    public ProofSession session(@Parameter(example = ID_EXAMPLE) @RestPath UUID id) {
        return proof.session(accounts.currentCaller(), id);
    }

    @POST
    @Path("sessions/{id}/answers")
    @BodyLimit(8 * BodyLimit.MIB) // 16 GPUs' 40 opened tiles of 4 KiB each, in base64, with their paths: about 4.3 MB
    @Operation(summary = "Answer the session's current step; timed steps are measured by the server's clock from when it handed them out")
    public ProofSession answer(@Parameter(example = ID_EXAMPLE) @RestPath UUID id, ProofWire.Answer answer) {
        return proof.answer(accounts.currentCaller(), id, answer);
    }

    @POST
    @Path("sessions/{id}/reports")
    @Operation(summary = "Upload the signed report of a GPU the session proved: 201 with a bc-proof/1 certificate, or 422 with every reason")
    @APIResponse(responseCode = "201", description = "Certified")
    @APIResponse(responseCode = "422", description = "Refused; the problem details list every reason")
    public Response report(@Parameter(example = ID_EXAMPLE) @RestPath UUID id,
                           @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                   schema = @Schema(implementation = GpuResource.SignedReportSchema.class))) SignedReport signed,
                           UriInfo uri) {
        return GpuResource.outcome(certification.submit(accounts.currentCaller(), signed, id), uri);
    }

    @POST
    @Path("spot-checks/due")
    @Operation(summary = "The node agent's poll: spot checks due for this host's GPUs, each a session that starts at an announced instant")
    public List<ProofOfGpu.DueCheck> dueSpotChecks(@NotNull SpotPoll poll) {
        return proof.dueSpotChecks(accounts.currentCaller(), poll.gpus());
    }
}
