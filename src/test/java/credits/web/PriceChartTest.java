package credits.web;

import static org.assertj.core.api.Assertions.assertThat;

import chain.EffectStatus;
import credits.PricePoint;
import credits.TokenPrice;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceChartTest {

    private static PricePoint point(long id, String usd, String at, EffectStatus.Status status) {
        return new PricePoint(id, TokenPrice.ofUsd(usd), Instant.parse(at), "0x" + "ab".repeat(20), status, null, null);
    }

    @Test
    void eachPriceHoldsUntilTheNextAndFailedPushesAreLeftOut() {
        PriceChart chart = PriceChart.of(List.of(
                point(3, "0.50", "2026-12-03T02:00:00Z", EffectStatus.Status.CONFIRMED),
                point(2, "9.00", "2026-12-03T01:30:00Z", EffectStatus.Status.FAILED),
                point(1, "0.25", "2026-12-03T01:00:00Z", EffectStatus.Status.CONFIRMED)));
        assertThat(chart.empty()).isFalse();
        assertThat(chart.lowUsd()).isEqualTo("0.25");
        assertThat(chart.highUsd()).isEqualTo("0.50");
        // oldest at the left edge and lowest at the bottom; a step up at the newest; then flat to the right edge
        assertThat(chart.points()).isEqualTo("10,190 630,190 630,10 630,10");
        assertThat(chart.dots()).extracting(PriceChart.Dot::label)
                .containsExactly("0.25 USD at 2026-12-03T01:00:00Z", "0.50 USD at 2026-12-03T02:00:00Z");
    }

    @Test
    void noPricesMakeAnEmptyChartAndOnePriceAFlatLine() {
        assertThat(PriceChart.of(List.of()).empty()).isTrue();
        PriceChart one = PriceChart.of(List.of(point(1, "1", "2026-12-03T01:00:00Z", EffectStatus.Status.PENDING)));
        assertThat(one.points()).isEqualTo("10,100 630,100");
    }
}
