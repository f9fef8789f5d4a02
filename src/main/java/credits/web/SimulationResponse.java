package credits.web;

import credits.SettlementResult;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of {@code POST /api/epochs/simulate} (DESIGN section 10). Token amounts are decimal
 * strings of base units, Data Credits are numbers; lists are sorted by id, payouts by holder.
 */
@Schema(description = "What each pool, operator, GPU and holder would receive; minted + remainder = emission")
public record SimulationResponse(
        @Schema(description = "All Data Credits consumed in the epoch") long totalDc,
        @Schema(description = "The sum of all payouts") String minted,
        @Schema(description = "What the roundings left over (and pool shares of pools with no GPU online); not minted."
                + " and what the self-dealing guard cut. The whole emission when totalDc is 0") String remainder,
        List<Pool> pools,
        List<Gpu> gpus,
        @Schema(description = "Everything one holder receives, as operator and GPU owner, across pools; holders in lowercase")
        List<Payout> payouts) {

    @Schema(name = "SimulatedPool")
    public record Pool(String id, long dc,
                       @Schema(description = "What the pool earned, after the self-dealing guard's cap") String allocation,
                       @Schema(description = "What the self-dealing guard cut from the pool's share (\"0\" without the guard);"
                               + " part of the epoch's remainder") String capped,
                       String operator,
                       @Schema(description = "What the roundings in this pool left over") String remainder) {
    }

    @Schema(name = "SimulatedGpu")
    public record Gpu(String id, String poolShare, String usedBonus, String total) {
    }

    @Schema(name = "SimulatedPayout")
    public record Payout(String holder, String amount) {
    }

    public static SimulationResponse of(SettlementResult result) {
        return new SimulationResponse(
                result.totalDc().value(),
                result.minted().toString(),
                result.remainder().toString(),
                result.pools().stream().map(p -> new Pool(p.id(), p.dc().value(), p.allocation().toString(), p.capped().toString(),
                        p.operator().toString(),
                        p.remainder().toString())).toList(),
                result.gpus().stream().map(g -> new Gpu(g.id(), g.poolShare().toString(), g.usedBonus().toString(),
                        g.total().toString())).toList(),
                result.payouts().stream().map(p -> new Payout(p.holder().value(), p.amount().toString())).toList());
    }
}
