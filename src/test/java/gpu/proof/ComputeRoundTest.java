package gpu.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compute round's commit-then-open on the CPU at a small size: an honest host passes, a tampered
 * entry, a tile from elsewhere or a tile not committed to is caught, and a partial forger (right in
 * half of the tiles) passes k openings at the rate f^k the sizing assumes, and the round's 40 never.
 */
class ComputeRoundTest {

    private static final ComputeRound.Size SIZE = new ComputeRound.Size(128, 128, 32, 16); // 64 tiles
    private static final ComputeRound.Keys KEYS = ComputeRound.Keys.of(new byte[32]);

    /** What a host commits to: the tiles it holds, and the leaves of its tree. */
    private record Commitment(int[][] tiles, byte[][] leaves, byte[] root) {
        static Commitment of(int[][] tiles) {
            byte[][] leaves = new byte[tiles.length][];
            for (int t = 0; t < tiles.length; t++) {
                leaves[t] = TileTree.leaf(t, tiles[t]);
            }
            return new Commitment(tiles, leaves, TileTree.root(leaves));
        }

        List<Openings.Opening> answer(List<Openings.Entry> named) {
            TileTree.Built tree = TileTree.build(leaves);
            return named.stream().map(e -> Openings.open(SIZE, tiles, tree, e)).toList();
        }
    }

    private static int[][] honestTiles() {
        int[][] tiles = new int[SIZE.tiles()][];
        for (int t = 0; t < tiles.length; t++) {
            tiles[t] = ComputeRound.tile(KEYS, SIZE, t);
        }
        return tiles;
    }

    @Test
    void theTilesAreTheProductTheServerChecksEntryByEntry() {
        int[][] tiles = honestTiles();
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 0; n < 200; n++) {
            int i = random.nextInt(SIZE.m());
            int j = random.nextInt(SIZE.n());
            int t = SIZE.tile();
            assertThat(tiles[SIZE.tileOf(i, j)][(i % t) * t + j % t]).isEqualTo(ComputeRound.entry(KEYS, SIZE, i, j));
        }
    }

    @Test
    void anHonestHostPassesAndATamperedOrForeignTileIsCaught() {
        Commitment honest = Commitment.of(honestTiles());
        List<Openings.Entry> named = Openings.choose(SIZE, Openings.PER_ROUND, new SplittableRandom(2));
        assertThat(Openings.check(KEYS, SIZE, honest.root(), named, honest.answer(named))).isEmpty();

        // one entry changed after committing: the tile no longer hashes to the root
        List<Openings.Opening> answers = new ArrayList<>(honest.answer(named));
        int[] changed = answers.get(0).values().clone();
        changed[0]++;
        answers.set(0, new Openings.Opening(answers.get(0).tile(), changed, answers.get(0).path()));
        assertThat(Openings.check(KEYS, SIZE, honest.root(), named, answers)).get().asString().contains("not the one committed to");

        // a tile of another place, with its own valid path
        int other = (answers.get(1).tile() + 1) % SIZE.tiles();
        answers = new ArrayList<>(honest.answer(named));
        answers.set(1, new Openings.Opening(other, honest.tiles()[other], TileTree.build(honest.leaves()).path(other)));
        assertThat(Openings.check(KEYS, SIZE, honest.root(), named, answers)).get().asString().contains("not the tile of");

        // committed to, but wrong: a host that committed to garbage in that tile
        int[][] tiles = honestTiles();
        int t = SIZE.tileOf(named.get(0).i(), named.get(0).j());
        tiles[t] = new int[SIZE.tile() * SIZE.tile()];
        Commitment lazy = Commitment.of(tiles);
        assertThat(Openings.check(KEYS, SIZE, lazy.root(), named, lazy.answer(named))).get().asString().contains("not");
        assertThat(Openings.check(KEYS, SIZE, honest.root(), named, honest.answer(named).subList(0, 3))).isPresent();
    }

    @Test
    void aForgerRightInHalfTheTilesPassesKOpeningsAtTheRateOneInTwoToTheK() {
        int[][] honest = honestTiles();
        int runs = 4000;
        int k = 3;
        SplittableRandom random = new SplittableRandom(3);
        int passedThree = 0;
        int passedRound = 0;
        for (int run = 0; run < runs; run++) {
            int[][] tiles = new int[SIZE.tiles()][];
            List<Integer> order = new ArrayList<>();
            for (int t = 0; t < tiles.length; t++) {
                order.add(t);
            }
            java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
            for (int n = 0; n < tiles.length; n++) { // half the tiles computed, the other half made up
                int t = order.get(n);
                tiles[t] = n < tiles.length / 2 ? honest[t] : new int[SIZE.tile() * SIZE.tile()];
            }
            Commitment forged = Commitment.of(tiles);
            List<Openings.Entry> three = Openings.choose(SIZE, k, random);
            if (Openings.check(KEYS, SIZE, forged.root(), three, forged.answer(three)).isEmpty()) {
                passedThree++;
            }
            List<Openings.Entry> round = Openings.choose(SIZE, Openings.PER_ROUND, random);
            if (Openings.check(KEYS, SIZE, forged.root(), round, forged.answer(round)).isEmpty()) {
                passedRound++;
            }
        }
        // f^k = 1/8: 500 of 4,000 expected, standard deviation about 21; five of them either side
        assertThat(passedThree).isBetween(395, 605);
        assertThat(passedRound).as("passes of the round's %d openings (2^-40 each)", Openings.PER_ROUND).isZero();
    }

    @Test
    void theOpeningsAreCountedForTwoToTheMinusForty() {
        assertThat(Openings.PER_ROUND).isEqualTo(40);
        assertThat(Openings.count(1.0 / 20, 40)).isEqualTo(10);
        assertThat(Math.pow(Openings.FORGER_FRACTION, Openings.PER_ROUND)).isLessThanOrEqualTo(Math.pow(2, -40));
    }
}
