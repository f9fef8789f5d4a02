package chain;

import java.math.BigInteger;

/**
 * Fired (CDI, after the sync's transaction commits) when the chain reports an NFT moving:
 * minted (from the zero address), transferred, or burned (to the zero address). Modules that must
 * not miss one should also read {@link Chain#token} on start, since an observer can be down.
 */
public record TokenTransferred(AssetKind kind, BigInteger tokenId, String from, String to, String txHash, long block) {
}
