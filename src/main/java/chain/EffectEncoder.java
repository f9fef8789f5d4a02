package chain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

/** The transaction of each effect: to whom, with how much ether, and which contract function with which arguments. */
final class EffectEncoder {

    private EffectEncoder() {
    }

    /** The transaction's recipient: the effect's contract, or the address a {@link ChainEffect.SendEther} names. */
    static String to(ChainEffect effect, ContractRegistry contracts) {
        return effect instanceof ChainEffect.SendEther e ? e.to() : contracts.address(effect.contract());
    }

    /** The ether (wei) the transaction carries: none but for a {@link ChainEffect.SendEther}. */
    static BigInteger value(ChainEffect effect) {
        return effect instanceof ChainEffect.SendEther e ? e.wei() : BigInteger.ZERO;
    }

    static String calldata(ChainEffect effect) {
        if (effect instanceof ChainEffect.WalletCall call) {
            return call.data();
        }
        return effect instanceof ChainEffect.SendEther ? "0x" : FunctionEncoder.encode(function(effect));
    }

    static Function function(ChainEffect effect) {
        if (effect instanceof ChainEffect.MintOperatorNft e) {
            return call("mint", new Address(e.to()), new Uint256(e.tokenId()));
        } else if (effect instanceof ChainEffect.MintGpuNft e) {
            return call("mint",
                    new Address(e.to()), new Uint256(e.tokenId()),
                    new Utf8String(e.metadata().model()), new Utf8String(e.metadata().serialNumber()),
                    seconds(e.metadata().purchaseDate()), seconds(e.metadata().inServiceDate()),
                    new Utf8String(e.metadata().hostingAgreementUrl()), new Utf8String(e.metadata().ownershipContractUrl()),
                    bytes32(e.metadata().certificateHash()));
        } else if (effect instanceof ChainEffect.UpdateGpuCertificate e) {
            return call("setCertificate", new Uint256(e.tokenId()), bytes32(e.certificateHash()));
        } else if (effect instanceof ChainEffect.BurnGpuNft e) {
            return call("burn", new Uint256(e.tokenId()));
        } else if (effect instanceof ChainEffect.MintTimeSlot e) {
            return call("mint", new Address(e.to()), new Uint256(e.tokenId()), new Uint256(e.pool()),
                    new Uint32(e.gpuCount()), seconds(e.start()),
                    e.end() == null ? new Uint64(ChainTime.UINT64_MAX) : seconds(e.end()), // open-ended: OPEN_END
                    new Uint8(e.kind().ordinal()));
        } else if (effect instanceof ChainEffect.SetSlotUser e) {
            return call("setUser", new Uint256(e.tokenId()), new Address(e.user()), seconds(e.expires()));
        } else if (effect instanceof ChainEffect.SplitSlotAt e) {
            return call("splitAt", new Uint256(e.tokenId()), seconds(e.at()));
        } else if (effect instanceof ChainEffect.SplitSlotByCount e) {
            return call("splitByCount", new Uint256(e.tokenId()), new Uint32(e.gpuCount()));
        } else if (effect instanceof ChainEffect.CloseSlot e) {
            return call("close", new Uint256(e.tokenId()), seconds(e.at()));
        } else if (effect instanceof ChainEffect.MintTokens e) {
            return call("mint", new Address(e.to()), new Uint256(e.amount()));
        } else if (effect instanceof ChainEffect.BurnTokens e) {
            return call("burn", new Uint256(e.amount()));
        } else if (effect instanceof ChainEffect.PublishEpochRoot e) {
            return call("setRoot", new Uint256(e.epoch()), bytes32(e.root()));
        } else if (effect instanceof ChainEffect.SetOraclePrice e) {
            return call("setPrice", new Uint256(e.priceE8()), seconds(e.observedAt()));
        }
        throw new IllegalArgumentException("No encoding for " + effect);
    }

    private static Function call(String name, Type<?>... arguments) {
        return new Function(name, List.of(arguments), List.of());
    }

    private static Bytes32 bytes32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex));
    }

    private static Uint64 seconds(Instant instant) {
        return new Uint64(BigInteger.valueOf(instant.getEpochSecond()));
    }
}
