package pools;

/**
 * A pool's (or operator's) reputation over the last 30 days, 0 to 100:
 * {@code round(60·U + 25·C + 15·R)} where U is the uptime of its GPUs in service, C the certification
 * margin score {@code clamp((m − 0.9) / 0.2, 0, 1)} with m the mean of each GPU's lowest
 * measured/reference ratio, and R the reliability {@code 1 / (1 + f)} with f the times a GPU went
 * offline, per GPU. {@code rated} is false while there is nothing to measure (no GPU in service).
 */
public record Reputation(boolean rated, int score, int uptimeBps, int marginScoreBps, int reliabilityBps, int failures) {

    public static final String FORMULA = "round(60·uptime + 25·certification margin + 15·reliability)";

    static Reputation unrated() {
        return new Reputation(false, 0, 0, 0, 0, 0);
    }

    public String formula() {
        return FORMULA;
    }
}
