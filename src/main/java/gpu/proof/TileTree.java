package gpu.proof;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The commitment to a compute round's result: a binary Merkle tree of SHA-256 over its tiles (a
 * power of two of them). A leaf is SHA-256(0x00 ‖ tile index, 8 bytes big-endian ‖ the tile's
 * entries as 32-bit little-endian integers, row-major); an inner node SHA-256(0x01 ‖ left ‖ right).
 * The prefixes keep a leaf from passing for a node. The GPU builds the same tree with the same bytes.
 */
public final class TileTree {

    public static final int HASH_BYTES = 32;

    private TileTree() {
    }

    public static byte[] leaf(long index, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(1 + 8 + 4 * values.length).order(ByteOrder.BIG_ENDIAN);
        bytes.put((byte) 0).putLong(index).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putInt(v);
        }
        return sha256(bytes.array());
    }

    static byte[] node(byte[] left, byte[] right) {
        byte[] both = new byte[1 + 2 * HASH_BYTES];
        both[0] = 1;
        System.arraycopy(left, 0, both, 1, HASH_BYTES);
        System.arraycopy(right, 0, both, 1 + HASH_BYTES, HASH_BYTES);
        return sha256(both);
    }

    /** The tree's levels, leaves first, root last. */
    static List<byte[][]> levels(byte[][] leaves) {
        if (leaves.length == 0 || Integer.bitCount(leaves.length) != 1) {
            throw new IllegalArgumentException("a tile tree has a power of two of leaves, not " + leaves.length);
        }
        List<byte[][]> levels = new ArrayList<>();
        levels.add(leaves);
        byte[][] level = leaves;
        while (level.length > 1) {
            byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = node(level[2 * i], level[2 * i + 1]);
            }
            levels.add(up);
            level = up;
        }
        return levels;
    }

    /** A built tree, kept to open many leaves without hashing it again. */
    public record Built(List<byte[][]> levels) {
        public byte[] root() {
            return levels.get(levels.size() - 1)[0].clone();
        }

        /** The siblings from leaf {@code index} up to the root. */
        public List<byte[]> path(int index) {
            List<byte[]> path = new ArrayList<>();
            int at = index;
            for (int l = 0; l < levels.size() - 1; l++) {
                path.add(levels.get(l)[at ^ 1]);
                at >>= 1;
            }
            return path;
        }
    }

    public static Built build(byte[][] leaves) {
        return new Built(levels(leaves));
    }

    public static byte[] root(byte[][] leaves) {
        return build(leaves).root();
    }

    /** Whether {@code leaf} is leaf {@code index} of the tree with {@code root}, by its path. */
    public static boolean verify(byte[] root, int index, byte[] leaf, List<byte[]> path) {
        if (index < 0 || path.size() >= 31 || index >= 1 << path.size()) {
            return false;
        }
        byte[] at = leaf;
        int position = index;
        for (byte[] sibling : path) {
            if (sibling == null || sibling.length != HASH_BYTES) {
                return false;
            }
            at = (position & 1) == 0 ? node(at, sibling) : node(sibling, at);
            position >>= 1;
        }
        return MessageDigest.isEqual(at, root);
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
