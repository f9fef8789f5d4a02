package pools;

import accounts.Caller;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.ChainEffect;
import chain.Token;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import platform.DomainException;

/**
 * Who operates what. An operator is its operator NFT: the wallet holding it (as the chain's events
 * say) has the operator's rights, so a transfer on chain moves them. Until the mint is confirmed the
 * wallet that asked for it has them.
 */
@ApplicationScoped
class Operators {

    private final Chain chain;
    private final Clock clock;

    Operators(Chain chain, Clock clock) {
        this.chain = chain;
        this.clock = clock;
    }

    /** A new operator for {@code caller}; its operator NFT is minted to their wallet through the outbox. */
    OperatorEntity become(Caller caller, String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > 80) {
            throw DomainException.invalid("name: an operator's name has 1 to 80 characters");
        }
        OperatorEntity operator = new OperatorEntity();
        operator.id = ((Number) OperatorEntity.getEntityManager()
                .createNativeQuery("select nextval('pools_operator_id_seq')").getSingleResult()).longValue();
        operator.name = trimmed;
        operator.requestedBy = caller.address().value();
        operator.createdAt = clock.instant();
        operator.persist();
        chain.request(nftKey(operator.id), new ChainEffect.MintOperatorNft(caller.address().value(), BigInteger.valueOf(operator.id)));
        return operator;
    }

    /** The wallet with the operator's rights now. */
    WalletAddress holder(OperatorEntity operator) {
        return nft(operator).map(t -> WalletAddress.of(t.owner())).orElse(WalletAddress.of(operator.requestedBy));
    }

    Optional<Token> nft(OperatorEntity operator) {
        return chain.token(AssetKind.OPERATOR, BigInteger.valueOf(operator.id)).filter(t -> !t.burned());
    }

    /** The operators whose rights {@code wallet} has: the NFTs it holds, and its own mints not on chain yet. */
    List<OperatorEntity> of(WalletAddress wallet) {
        Set<Long> ids = new LinkedHashSet<>();
        chain.tokensOf(AssetKind.OPERATOR, wallet.value()).forEach(t -> ids.add(t.tokenId().longValueExact()));
        for (OperatorEntity requested : OperatorEntity.<OperatorEntity>list("requestedBy", wallet.value())) {
            if (nft(requested).isEmpty()) {
                ids.add(requested.id);
            }
        }
        List<OperatorEntity> operators = new ArrayList<>();
        for (Long id : ids) {
            OperatorEntity operator = OperatorEntity.findById(id);
            if (operator != null) {
                operators.add(operator);
            }
        }
        return operators;
    }

    /** The operator, if {@code caller} has its rights; otherwise a 403 (or 404 if it does not exist). */
    OperatorEntity requireRights(Caller caller, long operatorId) {
        OperatorEntity operator = OperatorEntity.findById(operatorId);
        if (operator == null) {
            throw DomainException.notFound("There is no operator " + operatorId);
        }
        if (!holder(operator).equals(caller.address())) {
            throw DomainException.forbidden("Only the holder of operator NFT #" + operatorId + " can act for that operator");
        }
        return operator;
    }

    static String nftKey(long operatorId) {
        return "operator-nft:" + operatorId;
    }
}
