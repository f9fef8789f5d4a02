package credits;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code CreditsBought} log as credits recorded it. {@code status} MINTED: {@code dc} were
 * credited to {@code wallet}; UNCLAIMABLE: the log's account names no wallet (or buys more than an
 * account holds), nothing was credited and {@code problem} says why.
 */
public record Burn(String txHash, int logIndex, long block, String buyer, String account, String wallet, BigInteger tokens,
                   BigInteger priceE8, BigInteger dc, String status, String problem, Instant recordedAt) {
}
