package credits.web;

import accounts.WalletAddress;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import credits.Bps;
import credits.DataCredits;
import credits.RewardShares;
import credits.Scenario;
import credits.SelfDealingGuard;
import credits.TokenAmount;
import credits.TokenPrice;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import platform.DomainException;

/**
 * The body of {@code POST /api/epochs/simulate} (DESIGN section 10): an epoch's emission, its pools
 * and, optionally, the self-dealing guard to apply (absent: no guard).
 */
@Schema(description = "An epoch to settle: the emission and, per pool, its shares, operator and GPUs; optionally the self-dealing guard")
public record SimulationRequest(
        @NotNull
        @Schema(description = "Tokens to distribute, in base units (18 decimals), as a decimal string", example = "1000000000000000000000")
        String emission,
        @NotNull
        List<@NotNull @Valid Pool> pools,
        @Valid @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The self-dealing guard (DESIGN section 7); absent, rewards are not capped")
        Guard guard) {

    /** Pool and GPU ids are ids of this marketplace (decimal token ids have at most 78 digits). */
    static final int MAX_ID_LENGTH = 100;

    @Schema(name = "SimulationPool", description = "A pool: reward shares in basis points that add up to 10,000, the operator NFT's holder, its GPUs")
    public record Pool(
            @NotBlank @Size(max = MAX_ID_LENGTH) @Schema(maxLength = MAX_ID_LENGTH, example = "p1") String id,
            @NotNull @PositiveOrZero @Max(Bps.WHOLE) @JsonDeserialize(using = WholeNumber.class)
            @Schema(description = "The operator's share in basis points", example = "1000")
            Long operatorBps,
            @NotNull @PositiveOrZero @Max(Bps.WHOLE) @JsonDeserialize(using = WholeNumber.class)
            @Schema(description = "The share spread over the pool's GPUs by online seconds, in basis points", example = "6000")
            Long poolBps,
            @NotNull @PositiveOrZero @Max(Bps.WHOLE) @JsonDeserialize(using = WholeNumber.class)
            @Schema(description = "The bonus spread over the pool's GPUs by Data Credits consumed, in basis points", example = "3000")
            Long usedGpuBps,
            @NotNull @Schema(description = "Wallet holding the operator NFT", example = "0x00000000000000000000000000000000000000aa")
            String operatorHolder,
            @NotNull @ValidGpus
            List<Gpu> gpus) {
    }

    /** The self-dealing guard: each pool's rewards are worth at most maxRewardBps / 10,000 of the DCs it consumed, at tokenPriceE8. */
    @Schema(name = "SimulationGuard", description = "Caps each pool's allocation at maxRewardBps / 10,000 of the USD value of the DCs it"
            + " consumed, tokens valued at tokenPriceE8; what the cap cuts stays in the remainder")
    public record Guard(
            @NotNull @Positive @Max(TokenPrice.MAX_E8) @JsonDeserialize(using = WholeNumber.class)
            @Schema(description = "USD per whole token with 8 decimals, as the oracle states it", example = "25000000")
            Long tokenPriceE8,
            @NotNull @Positive @Max(SelfDealingGuard.MAX_REWARD_BPS) @JsonDeserialize(using = WholeNumber.class)
            @Schema(description = "The most a pool's rewards may be worth, in basis points of its DCs' value (10000 = 100 %)", example = "10000")
            Long maxRewardBps) {
    }

    /** Checked by {@link ValidGpus} on the list that holds it, not by constraints of its own (see there why). */
    @Schema(name = "SimulationGpu", description = "A GPU of a pool and what it did in the epoch")
    public record Gpu(
            @Schema(required = true, minLength = 1, maxLength = MAX_ID_LENGTH, example = "g1")
            String id,
            @Schema(required = true, description = "Wallet holding the GPU NFT at the end of the epoch",
                    example = "0x0000000000000000000000000000000000000001")
            String holder,
            @JsonDeserialize(using = WholeNumber.class)
            @Schema(required = true, minimum = "0", description = "Seconds the GPU was online in the epoch", example = "86400")
            Long onlineSeconds,
            @JsonDeserialize(using = WholeNumber.class)
            @Schema(required = true, minimum = "0", description = "Data Credits its rentals consumed in the epoch (1 DC = 0.00001 USD)",
                    example = "5000000")
            Long dcConsumed) {
    }

    /**
     * The engine's scenario. Bean Validation has checked presence, signs and ranges; this reads the
     * amounts and addresses and lets the domain refuse the rest (share sums, duplicate ids), each
     * refusal prefixed with where in the request it is.
     */
    public Scenario toScenario() {
        TokenAmount amount = TokenAmount.parse(emission, "emission");
        Map<String, WalletAddress> addresses = new HashMap<>(); // a holder usually has many GPUs: check each address once
        List<Scenario.Pool> scenarioPools = new ArrayList<>(pools.size());
        for (int p = 0; p < pools.size(); p++) {
            Pool pool = pools.get(p);
            String at = "pools[" + p + "] (" + pool.id() + ")";
            List<Scenario.Gpu> scenarioGpus = new ArrayList<>(pool.gpus().size());
            for (int g = 0; g < pool.gpus().size(); g++) {
                Gpu gpu = pool.gpus().get(g);
                String gpuAt = at + ".gpus[" + g + "] (" + gpu.id() + ")";
                WalletAddress holder = within(gpuAt + ".holder", () -> addresses.computeIfAbsent(gpu.holder(), WalletAddress::of));
                scenarioGpus.add(within(gpuAt, () -> new Scenario.Gpu(gpu.id(), holder, gpu.onlineSeconds(), DataCredits.of(gpu.dcConsumed()))));
            }
            RewardShares shares = within(at, () -> RewardShares.of(
                    Math.toIntExact(pool.operatorBps()), Math.toIntExact(pool.poolBps()), Math.toIntExact(pool.usedGpuBps())));
            WalletAddress operator = within(at + ".operatorHolder", () -> addresses.computeIfAbsent(pool.operatorHolder(), WalletAddress::of));
            scenarioPools.add(within(at, () -> new Scenario.Pool(pool.id(), shares, operator, scenarioGpus)));
        }
        Optional<SelfDealingGuard> selfDealingGuard = guard == null ? Optional.empty()
                : Optional.of(within("guard", () -> new SelfDealingGuard(new TokenPrice(guard.tokenPriceE8()), guard.maxRewardBps())));
        return new Scenario(amount, scenarioPools, selfDealingGuard);
    }

    private static <T> T within(String where, Supplier<T> read) {
        try {
            return read.get();
        } catch (DomainException e) {
            throw DomainException.invalid(where + ": " + e.getMessage());
        }
    }
}
