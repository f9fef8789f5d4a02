package credits.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/** A bar chart drawn on the server as inline SVG: no script, nothing downloaded. Oldest bar left. */
final class BarChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 140;
    private static final int LEFT = 70;
    private static final int BOTTOM = 18;

    /** One bar: its label (an epoch number) and value. */
    record Bar(String label, BigInteger value) {
    }

    private BarChart() {
    }

    /** {@code scale}: the value of one shown unit (10^18 for tokens, 1 for DC); the axis shows the largest bar in those units. */
    static String svg(String title, String cssClass, List<Bar> bars, BigInteger scale, String unit) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart ").append(cssClass).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(title).append("\" xmlns=\"http://www.w3.org/2000/svg\">")
                .append("<title>").append(title).append("</title>");
        BigInteger max = bars.stream().map(Bar::value).max(BigInteger::compareTo).orElse(BigInteger.ZERO);
        int plotWidth = WIDTH - LEFT - 10;
        int plotHeight = HEIGHT - BOTTOM - 10;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" text-anchor=\"end\" font-size=\"10\" fill=\"#5b6470\">%s %s</text>",
                LEFT - 6, shown(max, scale), unit));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d9dee5\"/>",
                LEFT, 10 + plotHeight, WIDTH - 10, 10 + plotHeight));
        if (!bars.isEmpty()) {
            double step = (double) plotWidth / bars.size();
            double width = Math.max(1, step * 0.8);
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                double height = max.signum() == 0 ? 0 : new BigDecimal(bar.value()).multiply(BigDecimal.valueOf(plotHeight))
                        .divide(new BigDecimal(max), MathContext.DECIMAL64).doubleValue();
                double x = LEFT + step * i;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#0b5fff\"><title>%s: %s %s</title></rect>",
                        x, 10 + plotHeight - height, width, height, bar.label(), shown(bar.value(), scale), unit));
                if (bars.size() <= 12 || i % (bars.size() / 6) == 0) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6470\">%s</text>",
                            x + width / 2, HEIGHT - 4, bar.label()));
                }
            }
        }
        return svg.append("</svg>").toString();
    }

    private static String shown(BigInteger value, BigInteger scale) {
        return TokenFormat.grouped(new BigDecimal(value).divide(new BigDecimal(scale), 2, java.math.RoundingMode.DOWN));
    }
}
