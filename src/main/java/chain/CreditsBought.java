package chain;

import java.math.BigInteger;

/**
 * A {@code CreditsBurner.CreditsBought} log as event sync read it: {@code buyer} burned
 * {@code tokenAmount} base units at {@code priceE8} for {@code dataCredits}, credited to
 * {@code account} (bytes32, 0x and 64 hex digits: by DESIGN section 10 the wallet's address
 * left-padded with zeros). Fired synchronously INSIDE the sync's transaction, so what an observer
 * writes commits together with the sync's cursor, or not at all: an observer must be idempotent
 * on ({@code chainId}, {@code txHash}, {@code logIndex}), since a range may be read again, and
 * should throw only when it must not lose the log (the sync then retries the whole range).
 */
public record CreditsBought(long chainId, String txHash, int logIndex, long block, String buyer, String account,
                            BigInteger tokenAmount, BigInteger priceE8, BigInteger dataCredits) {
}
