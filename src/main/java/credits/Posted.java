package credits;

/** TEMPORARY (LEDGER_API.md): applied is false when the key had been applied before; amount: what moved. */
public record Posted(long postingId, boolean applied, DataCredits amount) {
}
