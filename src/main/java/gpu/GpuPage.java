package gpu;

import accounts.Accounts;
import accounts.Caller;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;

/**
 * The GPU pages: the model reference table (admins edit it), an operator's certificates, failed
 * reports and host keys, and one certificate.
 */
@Path("/gpu")
@Produces(MediaType.TEXT_HTML)
public class GpuPage {

    /** The edit form's values, as typed. */
    public record ModelForm(String id, String name, String deviceNames, String memoryMib, String smCount,
                            String computeCapability, String boostClockMhz, String bandwidth, String hostToDevice,
                            String deviceToHost, String fp32, String bf16, String bandwidthPass, String hostToDevicePass,
                            String deviceToHostPass, String fp32Pass, String bf16Pass) {

        static ModelForm of(String id, GpuModel m) {
            if (m == null) {
                return new ModelForm(id, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
            }
            ReferenceFigures r = m.reference();
            PassFractions p = m.passFraction();
            return new ModelForm(id, m.name(), String.join("\n", m.deviceNames()), String.valueOf(m.memoryMib()),
                    String.valueOf(m.smCount()), m.computeCapability(), String.valueOf(m.boostClockMhz()),
                    r.deviceBandwidthGbs().toPlainString(), r.hostToDeviceGbs().toPlainString(), r.deviceToHostGbs().toPlainString(),
                    r.fp32Tflops().toPlainString(), r.bf16Tflops().toPlainString(), p.deviceBandwidthGbs().toPlainString(),
                    p.hostToDeviceGbs().toPlainString(), p.deviceToHostGbs().toPlainString(), p.fp32Tflops().toPlainString(),
                    p.bf16Tflops().toPlainString());
        }

        /**
         * The update these values describe, keeping the model's calibrated proof figures (set through
         * the JSON API); the problems of values that are not numbers are added to {@code errors}.
         */
        ModelUpdate toUpdate(List<String> errors, ProofFigures proof) {
            List<String> names = Arrays.stream(deviceNames == null ? new String[0] : deviceNames.split("\\R"))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new ModelUpdate(name, names, integer("memoryMib", memoryMib, errors), integer("smCount", smCount, errors),
                    computeCapability == null ? null : computeCapability.trim(), integer("boostClockMhz", boostClockMhz, errors),
                    new ReferenceFigures(decimal("reference.deviceBandwidthGbs", bandwidth, errors),
                            decimal("reference.hostToDeviceGbs", hostToDevice, errors),
                            decimal("reference.deviceToHostGbs", deviceToHost, errors),
                            decimal("reference.fp32Tflops", fp32, errors), decimal("reference.bf16Tflops", bf16, errors)),
                    new PassFractions(decimal("passFraction.deviceBandwidthGbs", bandwidthPass, errors),
                            decimal("passFraction.hostToDeviceGbs", hostToDevicePass, errors),
                            decimal("passFraction.deviceToHostGbs", deviceToHostPass, errors),
                            decimal("passFraction.fp32Tflops", fp32Pass, errors), decimal("passFraction.bf16Tflops", bf16Pass, errors)),
                    proof);
        }

        private static int integer(String field, String value, List<String> errors) {
            try {
                return Integer.parseInt(value == null ? "" : value.trim());
            } catch (NumberFormatException e) {
                errors.add(field + ": must be a whole number");
                return 1;
            }
        }

        private static BigDecimal decimal(String field, String value, List<String> errors) {
            try {
                return new BigDecimal(value == null ? "" : value.trim());
            } catch (NumberFormatException e) {
                errors.add(field + ": must be a number such as 3350 or 0.75");
                return null;
            }
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(List<GpuModel> models, boolean admin);

        static native TemplateInstance editModel(ModelForm form, boolean exists, List<String> errors);

        static native TemplateInstance mine(Caller caller, List<Certificate> certificates, List<ReportAttempt> reports,
                                            List<HostKey> hostKeys, Instant now, String error);

        static native TemplateInstance certificate(Certificate certificate, String status);
    }

    private final Certification certification;
    private final Accounts accounts;
    private final Clock clock;

    GpuPage(Certification certification, Accounts accounts, Clock clock) {
        this.certification = certification;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Operation(hidden = true)
    @GET
    public TemplateInstance models() {
        boolean admin = accounts.currentCallerIfSignedIn().map(Caller::isAdmin).orElse(false);
        return Templates.models(certification.models(), admin);
    }

    @Operation(hidden = true)
    @GET
    @Path("models/{id}/edit")
    @RolesAllowed(Caller.ADMIN)
    public TemplateInstance editModel(@RestPath String id) {
        GpuModel model = certification.model(id).orElse(null);
        return Templates.editModel(ModelForm.of(id, model), model != null, List.of());
    }

    @Operation(hidden = true)
    @POST
    @Path("models/{id}")
    @RolesAllowed(Caller.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveModel(@RestPath String id, @RestForm String name, @RestForm String deviceNames, @RestForm String memoryMib,
                              @RestForm String smCount, @RestForm String computeCapability, @RestForm String boostClockMhz,
                              @RestForm String bandwidth, @RestForm String hostToDevice, @RestForm String deviceToHost,
                              @RestForm String fp32, @RestForm String bf16, @RestForm String bandwidthPass,
                              @RestForm String hostToDevicePass, @RestForm String deviceToHostPass, @RestForm String fp32Pass,
                              @RestForm String bf16Pass) {
        ModelForm form = new ModelForm(id, name, deviceNames, memoryMib, smCount, computeCapability, boostClockMhz, bandwidth,
                hostToDevice, deviceToHost, fp32, bf16, bandwidthPass, hostToDevicePass, deviceToHostPass, fp32Pass, bf16Pass);
        List<String> errors = new ArrayList<>();
        Optional<GpuModel> existing = certification.model(id);
        ModelUpdate update = form.toUpdate(errors, existing.map(GpuModel::proof).orElse(null));
        boolean exists = existing.isPresent();
        if (errors.isEmpty()) {
            try {
                certification.saveModel(accounts.currentCaller(), id, update);
                return Response.seeOther(URI.create("/gpu#model-" + id)).build();
            } catch (ConstraintViolationException e) {
                e.getConstraintViolations().forEach(v -> errors.add(v.getPropertyPath() + ": " + v.getMessage()));
            } catch (DomainException e) {
                errors.add(e.getMessage());
            }
        }
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(Templates.editModel(form, exists, errors.stream().sorted().toList())).build();
    }

    @Operation(hidden = true)
    @GET
    @Path("certificates")
    @Authenticated
    public TemplateInstance mine() {
        return minePage(null);
    }

    @Operation(hidden = true)
    @GET
    @Path("certificates/{hash}")
    public TemplateInstance certificate(@RestPath String hash) {
        Certificate certificate = certification.certificate(hash)
                .orElseThrow(() -> DomainException.notFound("There is no certificate " + hash));
        return Templates.certificate(certificate, certificate.status(clock.instant()));
    }

    @Operation(hidden = true)
    @POST
    @Path("certificates/{hash}/revoke")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeCertificate(@RestPath String hash) {
        certification.revokeCertificate(accounts.currentCaller(), hash);
        return Response.seeOther(URI.create("/gpu/certificates")).build();
    }

    @Operation(hidden = true)
    @POST
    @Path("host-keys")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response registerHostKey(@RestForm String address, @RestForm String label) {
        try {
            certification.registerHostKey(accounts.currentCaller(), address, label);
            return Response.seeOther(URI.create("/gpu/certificates#host-keys")).build();
        } catch (DomainException e) {
            return Response.status(e.kind().status()).entity(minePage(e.getMessage())).build();
        }
    }

    @Operation(hidden = true)
    @POST
    @Path("host-keys/{id}/revoke")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeHostKey(@RestPath UUID id) {
        certification.revokeHostKey(accounts.currentCaller(), id);
        return Response.seeOther(URI.create("/gpu/certificates#host-keys")).build();
    }

    private TemplateInstance minePage(String error) {
        Caller caller = accounts.currentCaller();
        return Templates.mine(caller, certification.certificates(caller.address()), certification.reports(caller.address()),
                certification.hostKeys(caller), clock.instant(), error);
    }
}
