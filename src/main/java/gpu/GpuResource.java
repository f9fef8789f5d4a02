package gpu;

import accounts.Accounts;
import accounts.Caller;
import gpu.report.ReportLimits;
import gpu.report.SignedReport;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;

/** GPU certification's JSON API: the model table, challenges, reports, certificates and host keys. */
@Path("/api/gpu")
@Tag(name = "GPU certification")
public class GpuResource {

    /** The problem details of a refused report: RFC 9457 fields plus the report's id and every reason. */
    public record RefusedReport(String type, String title, int status, String detail, String instance, UUID reportId,
                                List<Reason> reasons) {
    }

    @Schema(description = "A key that lives on one of the caller's GPU hosts and may sign the caller's reports")
    public record NewHostKey(
            @Schema(description = "The key's address", pattern = "0x[0-9a-fA-F]{40}", example = "0x52908400098527886E0F7030069857D2E4169EE7")
            @NotNull @Size(max = 42) String address,
            @Schema(description = "A name for the host", example = "rack-3-node-12")
            @NotNull @Size(min = 1, max = 100) String label) {
    }

    /** What {@code POST /api/gpu/reports} takes, for the OpenAPI document: the body is read as a {@link SignedReport}. */
    @Schema(name = "SignedReport", description = "A signed bc-gpu-report/1 report, as bc-cli writes and uploads it")
    record SignedReportSchema(
            @Schema(required = true, type = SchemaType.OBJECT, description = "The report: the fields of bc-gpu-report/1 and no others"
                    + " (docs/gpu-certification.md), at most " + ReportLimits.MAX_REPORT_CHARS + " characters of JSON; figures are"
                    + " decimal strings with at most 12 digits before the point and 6 after, no exponent",
                    example = REPORT_EXAMPLE)
            Object report,
            @Schema(required = true, description = "EIP-191 personal_sign of the report's canonical JSON: 65 bytes in hex",
                    pattern = "0x[0-9a-fA-F]{130}", maxLength = 132, example = "0x" + SIGNATURE_EXAMPLE)
            String signature) {
    }

    static final String SIGNATURE_EXAMPLE = "4f1b0c3a2e5d6f7081920a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f"
            + "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091b";
    static final String REPORT_EXAMPLE = "{\"format\": \"bc-gpu-report/1\", \"operator\": \"0x52908400098527886e0f7030069857d2e4169ee7\","
            + " \"model\": \"h100-sxm\", \"challenge\": {\"nonce\": \"00112233445566778899aabbccddeeff\", \"seed\": \"0x5e3f0c1d2b4a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\"},"
            + " \"tool\": {\"version\": \"0.1.0\", \"kernelsSha256\": \"0x…\"},"
            + " \"gpu\": {\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-5a2b3c4d-1e2f-3a4b-5c6d-7e8f9a0b1c2d\","
            + " \"pciBusId\": \"00000000:19:00.0\", \"totalMemoryBytes\": 85520809984, \"smCount\": 132, \"computeCapability\": \"9.0\","
            + " \"clockMhz\": 1980, \"memoryClockMhz\": 2619, \"memoryBusWidthBits\": 5120, \"driverVersion\": \"13.0\"},"
            + " \"bandwidth\": {\"bufferBytes\": 1073741824, \"copyKernel\": \"copy_u4 528x512\", \"copyGbs\": \"3015.00\","
            + " \"triadGbs\": \"2990.50\", \"memcpyDtoDGbs\": \"3100.25\", \"pinnedBytes\": 268435456, \"hostToDeviceGbs\": \"55.10\","
            + " \"deviceToHostGbs\": \"53.90\", \"runs\": 9},"
            + " \"compute\": {\"fp32Tflops\": \"60.21\", \"bf16Tflops\": \"650.00\", \"runs\": 9},"
            + " \"integrity\": {\"freeBytes\": 84987084800, \"testedBytes\": 80737976320, \"patterns\": [\"walking-ones\","
            + " \"walking-zeros\", \"address\", \"random\", \"random-inverted\"], \"errors\": 0, \"seconds\": \"0.55\","
            + " \"sampleXor\": \"0x1a2b3c4d\"},"
            + " \"stability\": {\"matrixSize\": 4096, \"seconds\": \"20.40\", \"iterations\": 4000, \"mismatches\": 0,"
            + " \"freivaldsRounds\": 3, \"freivaldsPassed\": true, \"projectionSha256\": \"0x…\"},"
            + " \"digests\": {\"matmulSize\": 512, \"matmulSha256\": \"0x…\", \"mmaSize\": 256, \"mmaSha256\": \"0x…\"},"
            + " \"startedAt\": \"2026-03-01T10:00:00Z\", \"finishedAt\": \"2026-03-01T10:00:40Z\"}";

    private static final String MODEL_ID = "[a-z0-9][a-z0-9-]{0,39}";
    private static final String HASH = "0x[0-9a-fA-F]{64}";
    private static final String HASH_EXAMPLE = "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private final Certification certification;
    private final Accounts accounts;

    GpuResource(Certification certification, Accounts accounts) {
        this.certification = certification;
        this.accounts = accounts;
    }

    @GET
    @Path("models")
    @Operation(summary = "The GPU model reference table: names, spec figures and pass fractions")
    public List<GpuModel> models() {
        return certification.models();
    }

    @GET
    @Path("models/{id}")
    @Operation(summary = "One GPU model of the reference table")
    public GpuModel model(@Parameter(description = "A model id of the table", example = "h100-sxm",
            schema = @Schema(type = SchemaType.STRING, pattern = MODEL_ID, maxLength = 40)) @RestPath String id) {
        return certification.model(id).orElseThrow(() -> DomainException.notFound("There is no GPU model '" + id + "'"));
    }

    @PUT
    @Path("models/{id}")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Create or replace a GPU model (admins)")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "201", description = "Created")
    public Response saveModel(@Parameter(description = "1 to 40 lowercase letters, digits and dashes", example = "h100-sxm",
            schema = @Schema(type = SchemaType.STRING, pattern = MODEL_ID, maxLength = 40)) @RestPath String id, @Valid @NotNull ModelUpdate update) {
        Certification.SavedModel saved = certification.saveModel(accounts.currentCaller(), id, update);
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK).entity(saved.model()).build();
    }

    @POST
    @Path("challenges")
    @Authenticated
    @Operation(summary = "A challenge for a certification run: single-use nonce, seed and expiry")
    public Response challenge() {
        return Response.status(Response.Status.CREATED).entity(certification.issueChallenge(accounts.currentCaller())).build();
    }

    @POST
    @Path("reports")
    @Authenticated
    @Operation(summary = "Upload a signed benchmark report: 201 with the certificate, or 422 with every reason it failed")
    @APIResponse(responseCode = "201", description = "Certified")
    @APIResponse(responseCode = "422", description = "Refused; the problem details list every reason")
    public Response submit(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SignedReportSchema.class))) SignedReport signed, UriInfo uri) {
        return outcome(certification.submit(accounts.currentCaller(), signed), uri);
    }

    /** 201 with the certificate, or 422 with the problem details of every reason. */
    static Response outcome(ReportOutcome outcome, UriInfo uri) {
        if (outcome.certified()) {
            return Response.status(Response.Status.CREATED).entity(outcome.certificate()).build();
        }
        String detail = "The report was not certified: " + String.join("; ", outcome.reasons().stream().map(Reason::message).toList());
        return Response.status(422).type("application/problem+json")
                .entity(new RefusedReport("about:blank", "Unprocessable Content", 422, detail, uri.getPath(), outcome.reportId(),
                        outcome.reasons()))
                .build();
    }

    @GET
    @Path("reports")
    @Authenticated
    @Operation(summary = "The caller's uploaded reports, newest first, with the reasons of those that failed")
    public List<ReportAttempt> reports() {
        return certification.reports(accounts.currentCaller().address());
    }

    @GET
    @Path("certificates")
    @Authenticated
    @Operation(summary = "The caller's certificates, newest first")
    public List<Certificate> certificates() {
        return certification.certificates(accounts.currentCaller().address());
    }

    @GET
    @Path("certificates/{hash}")
    @Operation(summary = "A certificate by its hash, with its canonical content (whose SHA-256 is the hash)")
    public Certificate certificate(@Parameter(description = "The certificate's hash", example = HASH_EXAMPLE,
            schema = @Schema(type = SchemaType.STRING, pattern = HASH, maxLength = 66)) @RestPath String hash) {
        return certification.certificate(hash).orElseThrow(() -> DomainException.notFound("There is no certificate " + hash));
    }

    @DELETE
    @Path("certificates/{hash}")
    @Authenticated
    @Operation(summary = "Revoke a certificate (its operator or an admin)")
    public Response revokeCertificate(@Parameter(description = "The certificate's hash", example = HASH_EXAMPLE,
            schema = @Schema(type = SchemaType.STRING, pattern = HASH, maxLength = 66)) @RestPath String hash) {
        certification.revokeCertificate(accounts.currentCaller(), hash);
        return Response.noContent().build();
    }

    @POST
    @Path("host-keys")
    @Authenticated
    @Operation(summary = "Register a host key: an address whose key lives on a GPU host and may sign the caller's reports")
    public Response registerHostKey(@Valid @NotNull NewHostKey request) {
        HostKey key = certification.registerHostKey(accounts.currentCaller(), request.address(), request.label());
        return Response.status(Response.Status.CREATED).entity(key).build();
    }

    @GET
    @Path("host-keys")
    @Authenticated
    @Operation(summary = "The caller's host keys, revoked ones included")
    public List<HostKey> hostKeys() {
        return certification.hostKeys(accounts.currentCaller());
    }

    @DELETE
    @Path("host-keys/{id}")
    @Authenticated
    @Operation(summary = "Revoke a host key; reports it signs are refused from now on")
    public Response revokeHostKey(@Parameter(description = "The host key's id", example = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b")
                                  @RestPath UUID id) {
        certification.revokeHostKey(accounts.currentCaller(), id);
        return Response.noContent().build();
    }
}
