package credits.web;

import accounts.Accounts;
import chain.Chain;
import chain.ContractName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.EmissionSchedule;
import credits.EpochReports;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.web3j.crypto.Hash;
import platform.DomainException;
import platform.Epochs;

/**
 * The epoch explorer ({@code /epochs}, {@code /epochs/{n}}), a holder's earnings with the claim
 * button ({@code /my/earnings}), and the public earnings page of each GPU NFT ({@code /gpus/{id}},
 * the {@code external_url} of its metadata).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class EpochPages {

    /** The selector of {@code EpochRewards.claim(uint256,address,uint256,bytes32[])}, which the page's script puts before the arguments. */
    static final String CLAIM_SELECTOR = Hash.sha3String("claim(uint256,address,uint256,bytes32[])").substring(0, 10);
    /** How many recent epochs a projected yield averages. */
    static final int YIELD_EPOCHS = 30;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance epochs(List<EpochReports.EpochSummary> epochs, String emissionChart, String mintedChart,
                                              String dcChart, List<EmissionSchedule.Year> schedule, long perDay);

        static native TemplateInstance epoch(EpochReports.EpochReport report, List<EpochReports.PoolEarning> pools,
                                             List<EpochReports.GpuEarning> gpus, List<EpochReports.Entitlement> payouts, String rootTxUrl,
                                             String guard);

        static native TemplateInstance earnings(String account, List<GpuYield> gpus, List<EpochReports.PoolEarning> operator, String chart,
                                                EpochReports.Entitlement published, String claimed, String claimable, List<Chain.Claim> claims,
                                                String rewardsContract, String claimSelector);

        static native TemplateInstance gpu(String tokenId, List<EpochReports.GpuEarning> history, String chart, String projectedPerDay,
                                           String total);
    }

    /** A GPU NFT's earnings in the epochs its holder held it at the end, and its projected yield per day. */
    public record GpuYield(String tokenId, String earned, String projectedPerDay, int epochs) {
    }

    private final EpochReports reports;
    private final EmissionSchedule schedule;
    private final Epochs epochs;
    private final Accounts accounts;
    private final Chain chain;

    private final ObjectMapper json;

    EpochPages(EpochReports reports, EmissionSchedule schedule, Epochs epochs, Accounts accounts, Chain chain, ObjectMapper json) {
        this.json = json;
        this.reports = reports;
        this.schedule = schedule;
        this.epochs = epochs;
        this.accounts = accounts;
        this.chain = chain;
    }

    @GET
    @Path("epochs")
    @Operation(hidden = true)
    public TemplateInstance list() {
        List<EpochReports.EpochSummary> recent = reports.epochs(Optional.empty(), EpochReports.MAX_PAGE);
        List<EpochReports.EpochSummary> oldestFirst = reversed(recent);
        return Templates.epochs(recent,
                BarChart.svg("Emission per epoch", "emission", bars(oldestFirst, s -> s.emission()), TokenFormat.ONE_TOKEN, "tokens"),
                BarChart.svg("Minted per epoch", "minted", bars(oldestFirst, s -> s.minted()), TokenFormat.ONE_TOKEN, "tokens"),
                BarChart.svg("Data Credits consumed per epoch", "dc", bars(oldestFirst, s -> s.totalDc() == null ? null : s.totalDc().toString()),
                        BigInteger.ONE, "DC"),
                schedule.years(), epochs.perDay());
    }

    @GET
    @Path("epochs/{epoch}")
    @Operation(hidden = true)
    public TemplateInstance epoch(@RestPath long epoch) {
        EpochReports.EpochReport report = reports.report(epoch).orElseThrow(() -> DomainException.notFound("There is no epoch " + epoch));
        String rootTxUrl = report.rootTx() == null ? null : chain.explorerTxUrl(report.rootTx()).orElse(null);
        return Templates.epoch(report, reports.pools(epoch), reports.gpus(epoch), reports.payouts(epoch), rootTxUrl, guard(report.inputs()));
    }

    /** The self-dealing guard the inputs name, as people read it; null before the epoch is settled. */
    private String guard(String inputs) {
        if (inputs == null) {
            return null;
        }
        try {
            JsonNode guard = json.readTree(inputs).path("guard");
            if (!guard.isObject()) {
                return "off: pools' rewards were not capped";
            }
            return "on: a pool's rewards are worth at most " + BigDecimal.valueOf(guard.path("maxRewardBps").asLong(), 2).toPlainString()
                    + " % of the USD value of the Data Credits it consumed, tokens valued at "
                    + BigDecimal.valueOf(guard.path("tokenPriceE8").asLong(), 8).stripTrailingZeros().toPlainString() + " USD";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored inputs of an epoch are not JSON", e);
        }
    }

    @GET
    @Path("my/earnings")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance earnings() {
        String account = accounts.currentCaller().address().value();
        Map<String, List<EpochReports.GpuEarning>> byGpu = new LinkedHashMap<>();
        reports.gpuEarningsOf(account).forEach(g -> byGpu.computeIfAbsent(g.gpuToken(), t -> new ArrayList<>()).add(g));
        List<GpuYield> gpus = new ArrayList<>();
        byGpu.forEach((token, rows) -> gpus.add(new GpuYield(token, sum(rows.stream().map(EpochReports.GpuEarning::reward).toList()),
                projectedPerDay(reports.gpuHistory(new BigInteger(token))), rows.size())));
        List<EpochReports.Entitlement> paid = reports.entitlementsOf(account, EpochReports.MAX_PAGE);
        List<BarChart.Bar> bars = new ArrayList<>();
        reversed(paid).forEach(e -> bars.add(new BarChart.Bar(Long.toString(e.epoch()), new BigInteger(e.amount()))));
        EpochReports.Entitlement published = reports.latestPublishedEntitlement(account).orElse(null);
        BigInteger claimed = chain.claims(account).stream().map(Chain.Claim::cumulativeAmount).max(Comparator.naturalOrder())
                .orElse(BigInteger.ZERO);
        BigInteger claimable = published == null ? BigInteger.ZERO : new BigInteger(published.cumulative()).subtract(claimed).max(BigInteger.ZERO);
        return Templates.earnings(account, gpus, reports.operatorEarningsOf(account),
                BarChart.svg("Your earnings per epoch", "earnings", bars, TokenFormat.ONE_TOKEN, "tokens"),
                published, claimed.toString(), claimable.toString(), chain.claims(account),
                chain.contractAddress(ContractName.EpochRewards).orElse(""), CLAIM_SELECTOR);
    }

    @GET
    @Path("gpus/{tokenId}")
    @Operation(hidden = true)
    public TemplateInstance gpu(@RestPath String tokenId) {
        if (tokenId == null || !tokenId.matches("[0-9]{1,78}")) {
            throw DomainException.invalid("A GPU token id is a whole number of at most 78 digits");
        }
        BigInteger id = new BigInteger(tokenId);
        List<EpochReports.GpuEarning> history = reports.gpuHistory(id);
        List<BarChart.Bar> bars = new ArrayList<>();
        reversed(history).forEach(g -> bars.add(new BarChart.Bar(Long.toString(g.epoch()), new BigInteger(g.reward()))));
        return Templates.gpu(id.toString(), history, BarChart.svg("Earnings of GPU #" + id + " per epoch", "gpu-earnings", bars,
                TokenFormat.ONE_TOKEN, "tokens"), projectedPerDay(history), sum(history.stream().map(EpochReports.GpuEarning::reward).toList()));
    }

    /** The average reward of the GPU's most recent {@value #YIELD_EPOCHS} settled epochs (newest first) times epochs per day. */
    String projectedPerDay(List<EpochReports.GpuEarning> newestFirst) {
        List<EpochReports.GpuEarning> recent = newestFirst.subList(0, Math.min(YIELD_EPOCHS, newestFirst.size()));
        if (recent.isEmpty()) {
            return "0";
        }
        BigInteger total = new BigInteger(sum(recent.stream().map(EpochReports.GpuEarning::reward).toList()));
        return total.multiply(BigInteger.valueOf(epochs.perDay())).divide(BigInteger.valueOf(recent.size())).toString();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static String sum(List<String> amounts) {
        return amounts.stream().map(BigInteger::new).reduce(BigInteger.ZERO, BigInteger::add).toString();
    }

    private static List<BarChart.Bar> bars(List<EpochReports.EpochSummary> epochs, java.util.function.Function<EpochReports.EpochSummary, String> value) {
        return epochs.stream().map(s -> new BarChart.Bar(Long.toString(s.epoch()),
                value.apply(s) == null ? BigInteger.ZERO : new BigInteger(value.apply(s)))).toList();
    }
}
