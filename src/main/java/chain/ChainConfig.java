package chain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the chain module ({@code bc.chain.*}). With no RPC configured the app runs its own
 * local chain (anvil) in the data directory; with one it uses that chain and starts nothing.
 */
@ConfigMapping(prefix = "bc.chain")
public interface ChainConfig {

    /** JSON-RPC URL of an external chain; empty: start the embedded anvil. */
    Optional<String> rpc();

    /** The chain id the app expects (31337 for the embedded chain); a mismatch keeps the chain down. */
    @WithDefault("31337")
    long id();

    /**
     * The platform signer's private key (hex). Empty: generated once into
     * {@code <data-dir>/chain/signer.key} with owner-only permissions. Never logged.
     */
    Optional<String> signerKey();

    /** Contract addresses on an external chain; any left empty are deployed on first start and recorded. */
    Contracts contracts();

    /** Blocks on top of a transaction's block before it counts as confirmed (1: included). */
    @WithDefault("1")
    int confirmations();

    /** How often the relay and the event sync look for work when idle. */
    @WithDefault("0.1s")
    Duration pollInterval();

    /** How many outbox rows the relay signs and sends in one round (nonces pipelined). */
    @WithDefault("100")
    int batchSize();

    /** After this long without a receipt the relay sends the same signed transaction again. */
    @WithDefault("20s")
    Duration rebroadcastAfter();

    /** Gas limit of each transaction the relay sends. */
    @WithDefault("1000000")
    BigInteger gasLimit();

    /** The embedded chain's anvil binary. */
    @WithDefault("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
    Path anvil();

    /** Port of the embedded chain's JSON-RPC on 127.0.0.1 (0: any free port). */
    @WithDefault("8545")
    int embeddedPort();

    /** How often the embedded chain writes its state to disk (besides on a clean stop). */
    @WithDefault("1s")
    Duration anvilStateInterval();

    /** How long the credits burner accepts an oracle price (set at deployment). */
    @WithDefault("1h")
    Duration maxPriceAge();

    Explorer explorer();

    interface Contracts {
        Optional<String> operatorNft();

        Optional<String> gpuNft();

        Optional<String> timeSlotNft();

        Optional<String> berkeleyToken();

        Optional<String> creditsBurner();

        Optional<String> epochRewards();

        /** A SlotMarket deployed for the configured TimeSlotNFT and BerkeleyToken. */
        Optional<String> slotMarket();
    }

    /** Links to a block explorer; {tx}, {address}, {contract} and {tokenId} are replaced. Empty: no links. */
    interface Explorer {
        Optional<String> txUrl();

        Optional<String> addressUrl();

        Optional<String> tokenUrl();
    }
}
