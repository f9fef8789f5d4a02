package pools.web;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import pools.Pools;

/** An hourly uptime chart drawn on the server as SVG: no script, nothing to download. */
final class UptimeChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 160;
    private static final int LEFT = 40;
    private static final int BOTTOM = 20;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d").withZone(ZoneOffset.UTC);

    private UptimeChart() {
    }

    static String svg(List<Pools.UptimePoint> points) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Hourly uptime\" xmlns=\"http://www.w3.org/2000/svg\">");
        int plotWidth = WIDTH - LEFT - 10;
        int plotHeight = HEIGHT - BOTTOM - 10;
        for (int percent : new int[] {0, 50, 100}) {
            int y = 10 + plotHeight - plotHeight * percent / 100;
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(WIDTH - 10)
                    .append("\" y2=\"").append(y).append("\" stroke=\"#d9dee5\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 4)
                    .append("\" text-anchor=\"end\" font-size=\"10\" fill=\"#5b6470\">").append(percent).append("%</text>");
        }
        if (!points.isEmpty()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                double x = LEFT + (points.size() == 1 ? 0 : (double) plotWidth * i / (points.size() - 1));
                double y = 10 + plotHeight - plotHeight * points.get(i).uptimeBps() / 10_000.0;
                line.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
                if (points.get(i).hour().atZone(ZoneOffset.UTC).getHour() == 0) {
                    svg.append("<text x=\"").append(String.format(java.util.Locale.ROOT, "%.1f", x)).append("\" y=\"").append(HEIGHT - 4)
                            .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6470\">")
                            .append(DAY.format(points.get(i).hour())).append("</text>");
                }
            }
            svg.append("<polyline fill=\"none\" stroke=\"#0b5fff\" stroke-width=\"1.5\" points=\"").append(line.toString().trim()).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }
}
