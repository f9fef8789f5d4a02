package market.web;

import chain.SlotSale;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import market.Availability;
import market.PoolHold;

/** The market pages' charts, drawn on the server as inline SVG: no script, nothing to download. */
final class MarketCharts {

    private static final int WIDTH = 720;
    private static final String GRID = "#d9dee5";
    private static final String TEXT = "#5b6470";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d HH:mm").withZone(ZoneOffset.UTC);
    private static final BigDecimal TOKEN = BigDecimal.TEN.pow(18);

    private MarketCharts() {
    }

    private static void open(StringBuilder svg, int height, String cssClass, String title) {
        svg.append("<svg class=\"chart ").append(cssClass).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(title).append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>")
                .append(title).append("</title>");
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String text) {
        svg.append("<text x=\"");
        decimal(svg, x).append("\" y=\"");
        decimal(svg, y).append("\" text-anchor=\"").append(anchor).append("\" font-size=\"10\" fill=\"").append(TEXT).append("\">")
                .append(text).append("</text>");
    }

    /**
     * {@code value} with one decimal, as {@code %.1f} writes it. The marketplace draws a chart per pool
     * on every request, and String.format was most of the page's time (MarketPageBenchmark).
     */
    static StringBuilder decimal(StringBuilder out, double value) {
        long tenths = Math.round(value * 10);
        if (tenths < 0) {
            out.append('-');
            tenths = -tenths;
        }
        return out.append(tenths / 10).append('.').append(tenths % 10);
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** {@code DAY.format(at)} ("Dec 3 14:00"), without a formatter: one per bar of every chart of the marketplace. */
    static String hourLabel(Instant at) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        return MONTHS[t.getMonthValue() - 1] + " " + t.getDayOfMonth() + " " + (t.getHour() < 10 ? "0" : "") + t.getHour()
                + (t.getMinute() < 10 ? ":0" : ":") + t.getMinute();
    }

    /** Free GPUs for reservation hour by hour: one bar per hour, the axis at the GPUs in service. */
    static String availability(Availability availability) {
        int height = 110;
        int left = 40;
        int bottom = 18;
        int plotWidth = WIDTH - left - 10;
        int plotHeight = height - bottom - 10;
        StringBuilder svg = new StringBuilder();
        open(svg, height, "availability", "GPUs free for reservation, hour by hour (UTC)");
        int max = Math.max(1, availability.gpusInService());
        text(svg, left - 6, 14, "end", String.valueOf(availability.gpusInService()));
        text(svg, left - 6, 10 + plotHeight, "end", "0");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>",
                left, 10 + plotHeight, WIDTH - 10, 10 + plotHeight, GRID));
        List<Availability.Hour> hours = availability.hours();
        double step = hours.isEmpty() ? 0 : (double) plotWidth / hours.size();
        for (int i = 0; i < hours.size(); i++) {
            Availability.Hour hour = hours.get(i);
            double barHeight = (double) plotHeight * Math.max(0, hour.free()) / max;
            double x = left + step * i;
            svg.append("<rect x=\"");
            decimal(svg, x).append("\" y=\"");
            decimal(svg, 10 + plotHeight - barHeight).append("\" width=\"");
            decimal(svg, Math.max(1, step * 0.8)).append("\" height=\"");
            decimal(svg, barHeight).append("\" fill=\"#0b5fff\"><title>").append(hourLabel(hour.start())).append(": ").append(hour.free())
                    .append(" free</title></rect>");
            if (i % 6 == 0) {
                text(svg, x, height - 4, "start", HOUR.format(hour.start()));
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The slot market's sales: the price per GPU-hour (BCT) of each sale over time, oldest left. */
    static String salePrices(List<SlotSale> newestFirst) {
        int height = 150;
        int left = 70;
        int bottom = 18;
        int plotWidth = WIDTH - left - 10;
        int plotHeight = height - bottom - 10;
        StringBuilder svg = new StringBuilder();
        open(svg, height, "sale-prices", "Sale prices, BCT per GPU-hour");
        List<SlotSale> sales = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(sales);
        List<BigDecimal> rates = sales.stream().map(MarketCharts::bctPerGpuHour).toList();
        BigDecimal max = rates.stream().max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        text(svg, left - 6, 14, "end", shown(max) + " BCT");
        text(svg, left - 6, 10 + plotHeight, "end", "0");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>",
                left, 10 + plotHeight, WIDTH - 10, 10 + plotHeight, GRID));
        if (!sales.isEmpty()) {
            Instant first = sales.get(0).at();
            long span = Math.max(1, Duration.between(first, sales.get(sales.size() - 1).at()).getSeconds());
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < sales.size(); i++) {
                double x = left + (sales.size() == 1 ? plotWidth / 2.0 : (double) plotWidth * Duration.between(first, sales.get(i).at()).getSeconds() / span);
                double y = 10 + plotHeight - (max.signum() == 0 ? 0
                        : rates.get(i).multiply(BigDecimal.valueOf(plotHeight)).divide(max, MathContext.DECIMAL64).doubleValue());
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#0b5fff\"><title>%s: %s BCT per GPU-hour</title></circle>",
                        x, y, DAY.format(sales.get(i).at()), shown(rates.get(i))));
            }
            svg.append("<polyline fill=\"none\" stroke=\"#0b5fff\" stroke-width=\"1\" points=\"").append(line.toString().trim()).append("\"/>");
            text(svg, left, height - 4, "start", DAY.format(first));
            text(svg, WIDTH - 10, height - 4, "end", DAY.format(sales.get(sales.size() - 1).at()));
        }
        return svg.append("</svg>").toString();
    }

    /** A rate in BCT as a page shows it: at most 6 decimals. */
    static String shown(BigDecimal bct) {
        return bct.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A sale's price in BCT per GPU-hour of the piece sold (0 for a piece without a bounded window). */
    static BigDecimal bctPerGpuHour(SlotSale sale) {
        var terms = sale.pieceTerms();
        if (terms == null || terms.open() || terms.end().instant().isEmpty() || terms.start().instant().isEmpty()) {
            return BigDecimal.ZERO;
        }
        long seconds = Duration.between(terms.start().instant().get(), terms.end().instant().get()).getSeconds();
        BigDecimal gpuHours = BigDecimal.valueOf(terms.gpuCount()).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(3600), MathContext.DECIMAL64);
        if (gpuHours.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return new BigDecimal(sale.price()).divide(TOKEN, MathContext.DECIMAL64).divide(gpuHours, MathContext.DECIMAL64);
    }

    /** The pool's holds over [start, end): one row per GPU, a bar per hold, coloured by kind (spot lighter). */
    static String allocations(List<PoolHold> holds, Instant start, Instant end) {
        Map<Long, List<PoolHold>> byGpu = new LinkedHashMap<>();
        holds.forEach(h -> byGpu.computeIfAbsent(h.gpuId(), id -> new ArrayList<>()).add(h));
        int row = 18;
        int left = 70;
        int top = 6;
        int bottom = 18;
        int height = top + bottom + row * Math.max(1, byGpu.size());
        int plotWidth = WIDTH - left - 10;
        double span = Math.max(1, Duration.between(start, end).getSeconds());
        StringBuilder svg = new StringBuilder();
        open(svg, height, "allocations", "Holds per GPU over time (UTC)");
        int i = 0;
        for (var gpu : byGpu.entrySet()) {
            double y = top + row * i++;
            text(svg, left - 6, y + 12, "end", "GPU #" + gpu.getKey());
            for (PoolHold h : gpu.getValue()) {
                Instant from = h.from().isBefore(start) ? start : h.from();
                Instant until = h.until() == null || h.until().isAfter(end) ? end : h.until();
                double x = left + plotWidth * Duration.between(start, from).getSeconds() / span;
                double w = Math.max(1, plotWidth * Duration.between(from, until).getSeconds() / span);
                String fill = switch (h.kind()) {
                    case RESERVED -> "#0b5fff";
                    case ON_DEMAND -> "#0a8754";
                    case SPOT -> "#f0a202";
                };
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s><title>order %d, %s, %s: %s to %s</title></rect>",
                        x, y + 2, w, row - 4, fill, h.status().open() ? "" : " fill-opacity=\"0.35\"", h.orderId(), h.kind(), h.status(),
                        DAY.format(h.from()), h.until() == null ? "open" : DAY.format(h.until())));
            }
        }
        text(svg, left, height - 4, "start", DAY.format(start));
        text(svg, WIDTH - 10, height - 4, "end", DAY.format(end));
        return svg.append("</svg>").toString();
    }
}
