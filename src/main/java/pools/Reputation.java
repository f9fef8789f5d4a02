package pools;

import java.util.List;

/**
 * A pool's (or operator's) reputation over the last 30 days, 0 to 100:
 * {@code round(60·U + 25·C + 15·R)} where U is the uptime of its GPUs in service, C the certification
 * margin score {@code clamp((m − 0.9) / 0.2, 0, 1)} with m the mean of each GPU's lowest
 * measured/reference ratio, and R the reliability {@code 1 / (1 + f)} with f the failures per GPU. A
 * failure is a time a GPU went offline, or an hour in which it failed or missed a spot check (proof of
 * GPU: a late or wrong answer, or none); both weigh the same, one each, and an hour with several failed
 * checks is one failure, as it is one hour without online seconds in settlement ({@link SpotCheckRule}).
 * So one failed hour per GPU in 30 days halves R and costs 7.5 points. {@code rated} is false while
 * there is nothing to measure (no GPU in service).
 *
 * @param failures         all failures: {@code timesOffline + failedSpotChecks}
 * @param failedSpotChecks the GPU-hours with a failed or missed spot check among them
 */
public record Reputation(boolean rated, int score, int uptimeBps, int marginScoreBps, int reliabilityBps, int failures,
                         int failedSpotChecks) {

    public static final String FORMULA = "round(60·uptime + 25·certification margin + 15·reliability)";

    static Reputation unrated() {
        return new Reputation(false, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The reputation of {@code gpusInService} GPUs whose uptime was {@code uptimeBps}, which went
     * offline {@code timesOffline} times and had {@code failedSpotCheckHours} GPU-hours with a failed
     * spot check, where {@code lowestMargins} holds, for each of them with a certificate, its lowest
     * measured/reference ratio (1.0 for a certificate without figures; no certificate at all counts
     * as 1.0). Unrated without a GPU in service.
     */
    public static Reputation of(int gpusInService, int uptimeBps, List<Double> lowestMargins, int timesOffline, int failedSpotCheckHours) {
        if (gpusInService < 0 || uptimeBps < 0 || uptimeBps > 10_000 || timesOffline < 0 || failedSpotCheckHours < 0) {
            throw new IllegalArgumentException("GPUs and failures are counts, uptime is 0 to 10,000 bps: "
                    + gpusInService + ", " + uptimeBps + ", " + timesOffline + ", " + failedSpotCheckHours);
        }
        if (gpusInService == 0) {
            return unrated();
        }
        int failures = Math.addExact(timesOffline, failedSpotCheckHours);
        double meanMargin = lowestMargins.stream().mapToDouble(Double::doubleValue).average().orElse(1.0);
        double marginScore = Math.max(0, Math.min(1, (meanMargin - 0.9) / 0.2));
        double reliability = 1.0 / (1.0 + (double) failures / gpusInService);
        int score = (int) Math.round(60 * uptimeBps / 10_000.0 + 25 * marginScore + 15 * reliability);
        return new Reputation(true, score, uptimeBps, (int) Math.round(marginScore * 10_000), (int) Math.round(reliability * 10_000), failures,
                failedSpotCheckHours);
    }

    public String formula() {
        return FORMULA;
    }
}
