package chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.utils.Numeric;

/**
 * Reads GPU NFTs' metadata from the chain for the database's mirror: {@code GpuNFT.metadata(id)} as of
 * the block event sync has reached (or the latest one, where the node keeps no older state). A
 * token that does not exist at that block is left out.
 */
final class GpuMetadataMirror {

    private GpuMetadataMirror() {
    }

    static List<GpuMetadataEntity> fetch(ChainClient client, String gpuNft, Collection<BigInteger> tokenIds, long block)
            throws IOException {
        List<GpuMetadataEntity> found = new ArrayList<>();
        if (tokenIds.isEmpty()) {
            return found;
        }
        List<BigInteger> ids = List.copyOf(tokenIds);
        List<EthCall> answers = calls(client, gpuNft, ids, DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        if (answers.stream().anyMatch(a -> a.hasError() && !reverted(a))) {
            // the node keeps no state of that block (a chain restarted from its state file): read the newest
            block = client.headBlock();
            answers = calls(client, gpuNft, ids, DefaultBlockParameterName.LATEST);
        }
        for (int i = 0; i < ids.size(); i++) {
            EthCall answer = answers.get(i);
            if (reverted(answer)) {
                continue; // not minted (or burned again) at that block
            }
            if (answer.hasError()) {
                throw new ChainClient.RpcException("GpuNFT.metadata(" + ids.get(i) + "): " + answer.getError().getMessage());
            }
            found.add(decode(ids.get(i), answer.getValue(), block));
        }
        return found;
    }

    private static List<EthCall> calls(ChainClient client, String gpuNft, List<BigInteger> ids, DefaultBlockParameter at)
            throws IOException {
        BatchRequest batch = client.web3j().newBatch();
        for (BigInteger id : ids) {
            batch.add(client.web3j().ethCall(Transaction.createEthCallTransaction(null, gpuNft,
                    FunctionEncoder.encode(function(id))), at));
        }
        return batch.send().getResponses().stream().map(EthCall.class::cast).toList();
    }

    private static boolean reverted(EthCall answer) {
        return answer.isReverted() || (answer.hasError() && answer.getError().getMessage() != null
                && answer.getError().getMessage().toLowerCase(java.util.Locale.ROOT).contains("revert"));
    }

    private static Function function(BigInteger id) {
        return new Function("metadata", List.of(new Uint256(id)), List.of(
                new TypeReference<Utf8String>() { }, new TypeReference<Utf8String>() { },
                new TypeReference<Uint64>() { }, new TypeReference<Uint64>() { },
                new TypeReference<Utf8String>() { }, new TypeReference<Utf8String>() { },
                new TypeReference<Bytes32>() { }));
    }

    @SuppressWarnings("rawtypes")
    private static GpuMetadataEntity decode(BigInteger id, String value, long block) {
        List<Type> values = FunctionReturnDecoder.decode(value, function(id).getOutputParameters());
        GpuMetadataEntity gpu = new GpuMetadataEntity();
        gpu.tokenId = id;
        gpu.model = text(values.get(0));
        gpu.serialNumber = text(values.get(1));
        gpu.purchaseDate = (BigInteger) values.get(2).getValue();
        gpu.inServiceDate = (BigInteger) values.get(3).getValue();
        gpu.hostingAgreementUrl = text(values.get(4));
        gpu.ownershipContractUrl = text(values.get(5));
        gpu.certificateHash = Numeric.toHexString((byte[]) values.get(6).getValue());
        gpu.asOfBlock = block;
        return gpu;
    }

    /** A string as the chain holds it, except NUL, which PostgreSQL text cannot hold. */
    @SuppressWarnings("rawtypes")
    private static String text(Type value) {
        return ((String) value.getValue()).replace('\u0000', '\uFFFD');
    }
}
