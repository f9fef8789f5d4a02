package chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A time slot as the chain's confirmed events describe it: its terms (pool, GPU count, window,
 * kind; a pay-as-you-go slot not closed yet has an end that means never), who holds it (for a
 * burned slot: who held it last) and who may use it until when (ERC-4907; null when nobody),
 * whether it was burned (split or merged away), and its lineage: the slots it was split or merged
 * from ({@code parents}: one for a piece of a split, two for a merged slot, none for a minted one)
 * and those it became ({@code children}), by token id.
 */
public record TimeSlot(BigInteger tokenId, Token.Slot terms, String holder, boolean burned, String user, ChainTime userExpires,
                       List<BigInteger> parents, List<BigInteger> children) {

    /** Who may use the slot at {@code now}: its user while the lending has not expired (ERC-4907's {@code userOf}). */
    public Optional<String> userAt(Instant now) {
        return user == null || userExpires.isBefore(now) ? Optional.empty() : Optional.of(user);
    }
}
