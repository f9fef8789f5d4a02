package gpu.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The memory round's commit-then-open on the CPU at a small size: a host holding the dataset
 * passes; one holding only part of it gets a chain right only when every read falls in its part,
 * and passes k openings at the rate (its fraction of right chains)^k, and the round's 40 never.
 */
class MemoryRoundTest {

    private static final MemoryRound.Params PARAMS = new MemoryRound.Params(256, 4096, 8, 64, 4);
    private static final MemoryRound ROUND = new MemoryRound(new byte[32], PARAMS);

    private record Commitment(byte[][] answers, byte[][] leaves, byte[] root) {
        static Commitment of(byte[][] dataset) {
            byte[][] answers = new byte[(int) PARAMS.chains()][];
            byte[][] leaves = new byte[answers.length][];
            for (int c = 0; c < answers.length; c++) {
                answers[c] = ROUND.chain(c, x -> dataset[(int) x]);
                leaves[c] = MemoryRound.leaf(c, answers[c]);
            }
            return new Commitment(answers, leaves, TileTree.root(leaves));
        }

        List<MemoryRound.ChainOpening> answer(List<Long> named) {
            TileTree.Built tree = TileTree.build(leaves);
            return named.stream().map(c -> new MemoryRound.ChainOpening(c, answers[c.intValue()], tree.path(c.intValue()))).toList();
        }
    }

    private static byte[][] dataset() {
        byte[][] dataset = new byte[(int) PARAMS.datasetItems()][];
        for (int x = 0; x < dataset.length; x++) {
            dataset[x] = ROUND.item(x);
        }
        return dataset;
    }

    private static List<Long> named(SplittableRandom random, int count) {
        List<Long> named = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            named.add((long) random.nextInt((int) PARAMS.chains()));
        }
        return named;
    }

    @Test
    void aHostWithTheDatasetPassesAndAWrongOrUncommittedAnswerIsCaught() {
        Commitment honest = Commitment.of(dataset());
        List<Long> named = named(new SplittableRandom(1), Openings.PER_ROUND);
        assertThat(ROUND.check(honest.root(), named, honest.answer(named))).isEmpty();

        List<MemoryRound.ChainOpening> answers = new ArrayList<>(honest.answer(named));
        byte[] wrong = answers.get(0).answer().clone();
        wrong[0] ^= 1;
        answers.set(0, new MemoryRound.ChainOpening(answers.get(0).chain(), wrong, answers.get(0).path()));
        assertThat(ROUND.check(honest.root(), named, answers)).get().asString().contains("not the one committed to");
    }

    @Test
    void aHostHoldingThreeQuartersOfTheDatasetIsCaughtByTheReadsAtTheStatedRate() {
        byte[][] dataset = dataset();
        SplittableRandom random = new SplittableRandom(2);
        byte[][] partial = new byte[dataset.length][];
        int held = 0;
        for (int x = 0; x < dataset.length; x++) { // three quarters held; the rest made up rather than made again
            boolean keep = random.nextInt(4) != 0;
            partial[x] = keep ? dataset[x] : new byte[MemoryRound.ITEM_BYTES];
            held += keep ? 1 : 0;
        }
        Commitment forged = Commitment.of(partial);
        int right = 0;
        for (int c = 0; c < PARAMS.chains(); c++) {
            right += Arrays.equals(forged.answers()[c], ROUND.chainFromCache(c)) ? 1 : 0;
        }
        double q = (double) right / PARAMS.chains();
        double g = (double) held / dataset.length;
        assertThat(q).as("right chains, about g^R = %.3f", Math.pow(g, PARAMS.reads())).isBetween(0.1, 0.6);

        int runs = 4000;
        int passedTwo = 0;
        int passedRound = 0;
        for (int run = 0; run < runs; run++) {
            List<Long> two = named(random, 2);
            passedTwo += ROUND.check(forged.root(), two, forged.answer(two)).isEmpty() ? 1 : 0;
            List<Long> round = named(random, Openings.PER_ROUND);
            passedRound += ROUND.check(forged.root(), round, forged.answer(round)).isEmpty() ? 1 : 0;
        }
        double expected = runs * q * q;
        double sd = Math.sqrt(runs * q * q * (1 - q * q));
        assertThat((double) passedTwo).isBetween(expected - 5 * sd, expected + 5 * sd);
        assertThat(passedRound).as("passes of the round's %d openings", Openings.PER_ROUND).isZero();
    }
}
