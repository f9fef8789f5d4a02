package gpu;

import accounts.Accounts;
import accounts.Caller;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import platform.web.BodyLimit;

/** GPU certification's JSON API: the model table, challenges, reports, certificates and host keys. */
@Path("/api/gpu")
@Tag(name = "GPU certification")
public class GpuResource {

    /** The problem details of a refused report: RFC 9457 fields plus the report's id and every reason. */
    public record RefusedReport(String type, String title, int status, String detail, String instance, UUID reportId,
                                List<Reason> reasons) {
    }

    public record NewHostKey(@NotNull String address, @NotNull @Size(min = 1, max = 100) String label) {
    }

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
    public GpuModel model(@RestPath String id) {
        return certification.model(id).orElseThrow(() -> DomainException.notFound("There is no GPU model '" + id + "'"));
    }

    @PUT
    @Path("models/{id}")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Create or replace a GPU model (admins)")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "201", description = "Created")
    public Response saveModel(@RestPath String id, @Valid @NotNull ModelUpdate update) {
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
    @BodyLimit(BodyLimit.MIB)
    @Authenticated
    @Operation(summary = "Upload a signed benchmark report: 201 with the certificate, or 422 with every reason it failed")
    @APIResponse(responseCode = "201", description = "Certified")
    @APIResponse(responseCode = "422", description = "Refused; the problem details list every reason")
    public Response submit(SignedReport signed, UriInfo uri) {
        ReportOutcome outcome = certification.submit(accounts.currentCaller(), signed);
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
    public Certificate certificate(@RestPath String hash) {
        return certification.certificate(hash).orElseThrow(() -> DomainException.notFound("There is no certificate " + hash));
    }

    @DELETE
    @Path("certificates/{hash}")
    @Authenticated
    @Operation(summary = "Revoke a certificate (its operator or an admin)")
    public Response revokeCertificate(@RestPath String hash) {
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
    public Response revokeHostKey(@RestPath UUID id) {
        certification.revokeHostKey(accounts.currentCaller(), id);
        return Response.noContent().build();
    }
}
