package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The oracle's price: how it is read, shown, and turned into Data Credits (the contract's formula). */
class TokenPriceTest {

    @Test
    void aUsdPriceIsReadWithAtMostEightDecimals() {
        assertThat(TokenPrice.ofUsd("0.25").priceE8()).isEqualTo(25_000_000L);
        assertThat(TokenPrice.ofUsd(" 1 ").priceE8()).isEqualTo(100_000_000L);
        assertThat(TokenPrice.ofUsd("0.00000001").priceE8()).isEqualTo(1L);
        assertThat(TokenPrice.ofUsd("1000000").priceE8()).isEqualTo(TokenPrice.MAX_E8);
        assertThat(TokenPrice.ofUsd("0.25").usd()).isEqualTo("0.25");
        assertThat(TokenPrice.ofUsd("3").usd()).isEqualTo("3.00");
        assertThat(TokenPrice.ofUsd("0.12345678").usd()).isEqualTo("0.12345678");
    }

    @Test
    void aPriceOutOfBoundsOrNotADecimalIsRefusedNamingTheField() {
        for (String bad : new String[] {null, "", "0", "0.00000000", "0.000000001", "1000000.00000001", "10000000", "-1", "1e3",
                "0x10", "1,5", ".5", "5.", "NaN", "Infinity", "9".repeat(5000), "1 000"}) {
            assertThatThrownBy(() -> TokenPrice.ofUsd(bad)).as(String.valueOf(bad)).isInstanceOf(DomainException.class)
                    .hasMessageStartingWith("usdPerToken:")
                    .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.INVALID));
        }
    }

    @Test
    void dataCreditsAreTheTokenValueInHundredThousandthsOfADollarRoundedDown() {
        TokenPrice quarter = TokenPrice.ofUsd("0.25");
        // 1 BCT at 0.25 USD = 25,000 DC (1 DC = 0.00001 USD)
        assertThat(quarter.dataCreditsFor(TokenAmount.of(1_000_000_000_000_000_000L))).isEqualTo(BigInteger.valueOf(25_000));
        // 4e13 base units buy exactly 1 DC; one fewer buys none
        assertThat(quarter.dataCreditsFor(TokenAmount.of(40_000_000_000_000L))).isEqualTo(BigInteger.ONE);
        assertThat(quarter.dataCreditsFor(TokenAmount.of(39_999_999_999_999L))).isEqualTo(BigInteger.ZERO);
        assertThat(quarter.smallestBurn()).isEqualTo(TokenAmount.of(40_000_000_000_000L));
        // a price that does not divide 10^21: the smallest burn is rounded up and buys 1 DC
        TokenPrice odd = new TokenPrice(3);
        assertThat(odd.smallestBurn().value()).isEqualTo(new BigInteger("333333333333333333334"));
        assertThat(odd.dataCreditsFor(odd.smallestBurn())).isEqualTo(BigInteger.ONE);
        assertThat(odd.dataCreditsFor(odd.smallestBurn().minus(TokenAmount.of(1)))).isEqualTo(BigInteger.ZERO);
    }

    @Test
    void theFormulaIsFloorOfTokensTimesPriceOverTenToTheTwentyOne() {
        Random random = new Random(9);
        for (int i = 0; i < 10_000; i++) {
            long e8 = 1 + (long) (random.nextDouble() * TokenPrice.MAX_E8);
            BigInteger tokens = new BigInteger(1 + random.nextInt(255), random);
            BigInteger dc = new TokenPrice(e8).dataCreditsFor(new TokenAmount(tokens));
            BigInteger product = tokens.multiply(BigInteger.valueOf(e8));
            // dc * 10^21 <= tokens * price < (dc + 1) * 10^21
            assertThat(dc.multiply(TokenPrice.SCALE)).isLessThanOrEqualTo(product);
            assertThat(dc.add(BigInteger.ONE).multiply(TokenPrice.SCALE)).isGreaterThan(product);
        }
    }

    @Test
    void aPriceIsStaleOnlyOnceTheContractsMaximumAgeHasPassed() {
        Instant observed = Instant.parse("2026-12-03T05:00:00Z");
        Duration hour = Duration.ofHours(1);
        assertThat(CurrentPrice.isStale(observed, hour, observed)).isFalse();
        assertThat(CurrentPrice.isStale(observed, hour, observed.plus(hour))).isFalse();
        assertThat(CurrentPrice.isStale(observed, hour, observed.plus(hour).plusMillis(999))).isFalse();
        assertThat(CurrentPrice.isStale(observed, hour, observed.plus(hour).plusSeconds(1))).isTrue();
    }
}
