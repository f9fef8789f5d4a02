package credits.web;

import accounts.WalletAddress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.EmissionSchedule;
import credits.EpochReports;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import platform.Epochs;

/** The public epoch reports (DESIGN section 10): the calendar and schedule, each epoch's inputs, result and root, claims' proofs. */
@Path("/api/epochs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Epochs", description = "Epoch settlement")
public class EpochResource {

    private final EpochReports reports;
    private final EmissionSchedule schedule;
    private final Epochs epochs;
    private final ObjectMapper json;

    EpochResource(EpochReports reports, EmissionSchedule schedule, Epochs epochs, ObjectMapper json) {
        this.reports = reports;
        this.schedule = schedule;
        this.epochs = epochs;
        this.json = json;
    }

    public record EpochJson(long epoch, Instant start, Instant end, String status, String emission, String minted, Long totalDc) {
        static EpochJson of(EpochReports.EpochSummary s) {
            return new EpochJson(s.epoch(), s.start(), s.end(), s.status(), s.emission(), s.minted(), s.totalDc());
        }
    }

    @GET
    @Operation(summary = "Epochs, newest first", description = "A page of at most 100; the next page starts before the last epoch listed")
    public List<EpochJson> epochs(@QueryParam("before") @Parameter(description = "Only epochs before this one") Long before,
                                  @QueryParam("limit") @Parameter(description = "1 to 100 (50 by default)",
                                          schema = @Schema(minimum = "1", maximum = "100")) Integer limit) {
        if (limit != null && (limit < 1 || limit > EpochReports.MAX_PAGE)) {
            throw DomainException.invalid("limit: 1 to " + EpochReports.MAX_PAGE);
        }
        return reports.epochs(Optional.ofNullable(before), limit == null ? 50 : limit).stream().map(EpochJson::of).toList();
    }

    public record YearJson(int year, long firstEpoch, long endEpoch, Instant start, Instant end, String tokens,
                           @Schema(description = "Base units (18 decimals) each epoch of the year emits") String emissionPerEpoch) {
    }

    public record ScheduleJson(Instant genesis, Duration length, long epochsPerDay, long epochsPerYear, List<YearJson> years) {
    }

    @GET
    @Path("/schedule")
    @Operation(summary = "The epoch calendar and the emission per epoch of each year of the schedule")
    public ScheduleJson schedule() {
        return new ScheduleJson(epochs.genesis(), epochs.length(), epochs.perDay(), schedule.epochsPerYear(),
                schedule.years().stream().map(y -> new YearJson(y.year(), y.firstEpoch(), y.endEpoch(), y.start(), y.end(),
                        y.tokens().toString(), y.perEpoch().toString())).toList());
    }

    public record ReportJson(long epoch, Instant start, Instant end, String status, String emission, String minted, Long totalDc,
                             @Schema(description = "Exactly a POST /api/epochs/simulate request") JsonNode inputs,
                             @Schema(description = "Exactly the simulator's response for the inputs") JsonNode result,
                             @Schema(description = "SHA-256 (hex) of the inputs in RFC 8785 canonical JSON") String inputsDigest,
                             String merkleRoot, String rootTx) {
    }

    @GET
    @Path("/{epoch}")
    @Operation(summary = "An epoch's report: inputs, result, inputs digest, Merkle root and its transaction")
    @APIResponse(responseCode = "404", description = "No such epoch")
    public ReportJson epoch(@RestPath @Parameter(description = "The epoch's number", example = "1") long epoch) {
        EpochReports.EpochReport report = reports.report(epoch)
                .orElseThrow(() -> DomainException.notFound("There is no epoch " + epoch));
        EpochReports.EpochSummary s = report.summary();
        return new ReportJson(s.epoch(), s.start(), s.end(), s.status(), s.emission(), s.minted(), s.totalDc(),
                tree(report.inputs()), tree(report.result()), report.inputsDigest(), report.merkleRoot(), report.rootTx());
    }

    public record ClaimJson(long epoch, String account, String cumulativeAmount, List<String> proof) {
    }

    @GET
    @Path("/{epoch}/claims/{address}")
    @Operation(summary = "What EpochRewards.claim(epoch, account, cumulativeAmount, proof) takes for this account")
    @APIResponse(responseCode = "404", description = "The epoch's root is not on chain yet, or names no entitlement of this account")
    public ClaimJson claim(@RestPath @Parameter(description = "The epoch's number", example = "1") long epoch,
                           @RestPath @Parameter(description = "The account (wallet address)") String address) {
        WalletAddress account = WalletAddress.of(address);
        EpochReports.ClaimProof proof = reports.claim(epoch, account.value());
        return new ClaimJson(proof.epoch(), proof.account(), proof.cumulativeAmount(), proof.proof());
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
