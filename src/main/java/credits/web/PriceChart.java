package credits.web;

import credits.PricePoint;
import credits.TokenPrice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The price history as an inline SVG step line (no script, no library): x is the time a price was
 * observed, y the price; each price holds until the next. Coordinates are whole pixels computed
 * with integer arithmetic.
 */
public record PriceChart(int width, int height, String points, List<Dot> dots, String lowUsd, String highUsd,
                         Instant from, Instant to, boolean empty) {

    /** One price on the chart, with what its tooltip says. */
    public record Dot(long x, long y, String label) {
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 200;
    private static final int PAD = 10;

    /** The chart of {@code history} (any order; FAILED pushes are left out, since the contract never used them). */
    static PriceChart of(List<PricePoint> history) {
        List<PricePoint> shown = history.stream().filter(p -> p.onChain() != chain.EffectStatus.Status.FAILED)
                .sorted(Comparator.comparing(PricePoint::observedAt).thenComparing(PricePoint::id)).toList();
        if (shown.isEmpty()) {
            return new PriceChart(WIDTH, HEIGHT, "", List.of(), "", "", null, null, true);
        }
        long t0 = shown.get(0).observedAt().getEpochSecond();
        long t1 = Math.max(t0 + 1, shown.get(shown.size() - 1).observedAt().getEpochSecond());
        long low = shown.stream().mapToLong(p -> p.price().priceE8()).min().orElseThrow();
        long high = shown.stream().mapToLong(p -> p.price().priceE8()).max().orElseThrow();
        long span = Math.max(1, high - low);
        long plotW = WIDTH - 2L * PAD;
        long plotH = HEIGHT - 2L * PAD;
        StringBuilder points = new StringBuilder();
        List<Dot> dots = new ArrayList<>();
        long previousY = -1;
        for (PricePoint p : shown) {
            long x = PAD + (p.observedAt().getEpochSecond() - t0) * plotW / (t1 - t0);
            long y = high == low ? PAD + plotH / 2 : PAD + (high - p.price().priceE8()) * plotH / span;
            if (previousY >= 0) {
                points.append(x).append(',').append(previousY).append(' ');
            }
            points.append(x).append(',').append(y).append(' ');
            dots.add(new Dot(x, y, p.price().usd() + " USD at " + p.observedAt()));
            previousY = y;
        }
        points.append(WIDTH - PAD).append(',').append(previousY);
        return new PriceChart(WIDTH, HEIGHT, points.toString(), dots, new TokenPrice(low).usd(), new TokenPrice(high).usd(),
                shown.get(0).observedAt(), shown.get(shown.size() - 1).observedAt(), false);
    }
}
