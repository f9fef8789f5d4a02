package chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A Merkle tree of cumulative entitlements as EpochRewards verifies them: leaf =
 * keccak256(keccak256(abi.encode(account, cumulativeAmount))), pairs hashed in sorted order
 * (OpenZeppelin's MerkleProof). Accounts are compared without regard to case.
 */
public final class MerkleTree {

    /** One holder's total rewards from the first epoch through this one, in token base units. */
    public record Entitlement(String account, BigInteger cumulativeAmount) {
        public Entitlement {
            account = Addresses.address("account", account);
            cumulativeAmount = Addresses.uint256("cumulativeAmount", cumulativeAmount);
        }
    }

    private final List<List<byte[]>> levels = new ArrayList<>();
    private final Map<String, Integer> leafIndex = new HashMap<>();

    private MerkleTree(List<Entitlement> entitlements) {
        if (entitlements.isEmpty()) {
            throw new IllegalArgumentException("A Merkle tree needs at least one entitlement");
        }
        List<byte[]> leaves = entitlements.stream().map(MerkleTree::leaf)
                .sorted(Comparator.comparing(Numeric::toHexString)).toList();
        Map<String, String> accountOfLeaf = new HashMap<>();
        entitlements.forEach(e -> accountOfLeaf.put(Numeric.toHexString(leaf(e)), e.account()));
        for (int i = 0; i < leaves.size(); i++) {
            String account = accountOfLeaf.get(Numeric.toHexString(leaves.get(i)));
            if (leafIndex.put(account, i) != null) {
                throw new IllegalArgumentException("Two entitlements for " + account);
            }
        }
        levels.add(leaves);
        while (levels.get(levels.size() - 1).size() > 1) {
            List<byte[]> level = levels.get(levels.size() - 1);
            List<byte[]> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? hashPair(level.get(i), level.get(i + 1)) : level.get(i));
            }
            levels.add(next);
        }
    }

    public static MerkleTree of(List<Entitlement> entitlements) {
        return new MerkleTree(entitlements);
    }

    /** The root, 0x-prefixed hex. */
    public String root() {
        return Numeric.toHexString(levels.get(levels.size() - 1).get(0));
    }

    /** The proof for {@code account}'s entitlement, as hex strings. */
    public List<String> proof(String account) {
        Integer index = leafIndex.get(account.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new IllegalArgumentException(account + " has no entitlement in this tree");
        }
        List<String> proof = new ArrayList<>();
        int i = index;
        for (int level = 0; level < levels.size() - 1; level++) {
            List<byte[]> nodes = levels.get(level);
            int sibling = i % 2 == 0 ? i + 1 : i - 1;
            if (sibling < nodes.size()) {
                proof.add(Numeric.toHexString(nodes.get(sibling)));
            }
            i /= 2;
        }
        return proof;
    }

    static byte[] leaf(Entitlement entitlement) {
        String encoded = TypeEncoder.encode(new Address(entitlement.account()))
                + TypeEncoder.encode(new Uint256(entitlement.cumulativeAmount()));
        return Hash.sha3(Hash.sha3(Numeric.hexStringToByteArray(encoded)));
    }

    private static byte[] hashPair(byte[] a, byte[] b) {
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        byte[] joined = new byte[64];
        System.arraycopy(aFirst ? a : b, 0, joined, 0, 32);
        System.arraycopy(aFirst ? b : a, 0, joined, 32, 32);
        return Hash.sha3(joined);
    }
}
