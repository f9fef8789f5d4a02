package credits;

/**
 * The outcome of a posting: its id, whether this call applied it ({@code false} when the same
 * idempotency key had been applied before, and nothing moved now), and the DCs it moved.
 */
public record Posted(long postingId, boolean applied, DataCredits amount) {
}
