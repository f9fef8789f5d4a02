package chain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends the outbox to the chain, exactly once per row:
 * <ol>
 *   <li><b>sign</b>: pending rows get the signer's next nonces and are signed; the signed
 *       transaction is stored before anything is sent;</li>
 *   <li><b>send</b>: stored transactions that were never sent, or whose receipt is overdue, are sent
 *       (the same bytes every time, so a resend can never execute twice: the nonce is taken);</li>
 *   <li><b>confirm</b>: receipts are fetched in batches and rows become CONFIRMED (or FAILED when the
 *       chain reverted them) once buried under {@code bc.chain.confirmations} blocks.</li>
 * </ol>
 * Nonces are pipelined: a round signs and sends up to {@code bc.chain.batch-size} rows without
 * waiting for any receipt. Only the instance holding the chain leader lock runs the relay.
 */
@ApplicationScoped
class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final int RECEIPT_BATCH = 500;

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ChainConfig config;
    private final Clock clock;
    private final EntityManager em;

    Relay(ChainClient client, ContractRegistry contracts, ChainConfig config, Clock clock, EntityManager em) {
        this.client = client;
        this.contracts = contracts;
        this.config = config;
        this.clock = clock;
        this.em = em;
    }

    /** One round of sign, send, confirm; the number of rows it moved (0 when idle). */
    int round() throws IOException {
        return sign() + send() + confirm();
    }

    /** After deployments or a restart the chain may know more nonces than the database: take the larger. */
    void resyncNonce() throws IOException {
        long mined = client.minedNonce();
        String signer = signerAddress();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into chain_signer (chain_id, address, next_nonce) values (?1, ?2, ?3)
                        on conflict (chain_id, address) do update set next_nonce = greatest(chain_signer.next_nonce, excluded.next_nonce)""")
                .setParameter(1, client.chainId()).setParameter(2, signer).setParameter(3, mined)
                .executeUpdate());
    }

    private int sign() throws IOException {
        long pending = QuarkusTransaction.requiringNew().call(
                () -> OutboxEntity.count("status", EffectStatus.Status.PENDING));
        if (pending == 0) {
            return 0;
        }
        Fees fees = Fees.current(client.web3j());
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OutboxEntity> rows = OutboxEntity.<OutboxEntity>find("status = ?1 order by id", EffectStatus.Status.PENDING)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                    .page(0, config.batchSize()).list();
            if (rows.isEmpty()) {
                return 0;
            }
            String signer = signerAddress();
            long nonce = ((Number) em.createNativeQuery(
                            "select next_nonce from chain_signer where chain_id = ?1 and address = ?2 for update")
                    .setParameter(1, client.chainId()).setParameter(2, signer).getSingleResult()).longValue();
            Instant now = clock.instant();
            for (OutboxEntity row : rows) {
                ChainEffect effect = Effects.read(row.payload);
                RawTransaction tx = RawTransaction.createTransaction(client.chainId(), BigInteger.valueOf(nonce),
                        config.gasLimit(), contracts.address(row.contract), BigInteger.ZERO, EffectEncoder.calldata(effect),
                        fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
                byte[] signed = TransactionEncoder.signMessage(tx, client.chainId(), client.signer());
                row.signer = signer;
                row.nonce = nonce++;
                row.rawTx = Numeric.toHexString(signed);
                row.txHash = Hash.sha3(row.rawTx);
                row.status = EffectStatus.Status.SENT;
                row.signedAt = now;
            }
            em.createNativeQuery("update chain_signer set next_nonce = ?1 where chain_id = ?2 and address = ?3")
                    .setParameter(1, nonce).setParameter(2, client.chainId()).setParameter(3, signer).executeUpdate();
            return rows.size();
        });
    }

    private int send() throws IOException {
        Instant now = clock.instant();
        Instant overdue = now.minus(config.rebroadcastAfter());
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(() -> OutboxEntity.<OutboxEntity>find(
                        "status = ?1 and (sentAt is null or sentAt < ?2) order by nonce", EffectStatus.Status.SENT, overdue)
                .page(0, config.batchSize()).list());
        if (rows.isEmpty()) {
            return 0;
        }
        BatchRequest batch = client.web3j().newBatch();
        rows.forEach(row -> batch.add(client.web3j().ethSendRawTransaction(row.rawTx)));
        List<? extends Response<?>> responses = batch.send().getResponses();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < rows.size(); i++) {
                OutboxEntity row = OutboxEntity.findById(rows.get(i).id);
                Response<?> response = responses.get(i);
                row.attempts++;
                row.sentAt = now;
                if (response.hasError()) {
                    String error = response.getError().getMessage();
                    if (!error.contains("already known") && !error.contains("nonce too low")) {
                        LOG.warnf("The chain refused transaction %s (%s, nonce %d): %s", row.txHash, row.effectKey, row.nonce, error);
                    }
                    row.fail(error);
                }
            }
        });
        return rows.size();
    }

    private int confirm() throws IOException {
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(() -> OutboxEntity.<OutboxEntity>find(
                        "status = ?1 and sentAt is not null order by nonce", EffectStatus.Status.SENT)
                .page(0, RECEIPT_BATCH).list());
        if (rows.isEmpty()) {
            return 0;
        }
        BatchRequest batch = client.web3j().newBatch();
        rows.forEach(row -> batch.add(client.web3j().ethGetTransactionReceipt(row.txHash)));
        BatchResponse receipts = batch.send();
        long head = client.headBlock();
        long minedNonce = client.minedNonce();
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            int done = 0;
            for (int i = 0; i < rows.size(); i++) {
                OutboxEntity row = OutboxEntity.findById(rows.get(i).id);
                EthGetTransactionReceipt response = (EthGetTransactionReceipt) receipts.getResponses().get(i);
                TransactionReceipt receipt = response.getTransactionReceipt().orElse(null);
                if (receipt != null) {
                    row.blockNumber = receipt.getBlockNumber().longValueExact();
                    if (head - row.blockNumber + 1 >= config.confirmations()) {
                        row.status = receipt.isStatusOK() ? EffectStatus.Status.CONFIRMED : EffectStatus.Status.FAILED;
                        if (!receipt.isStatusOK()) {
                            row.fail("Reverted by the chain in block " + row.blockNumber);
                        } else {
                            row.lastError = null;
                        }
                        row.confirmedAt = now;
                        done++;
                    }
                } else if (row.nonce < minedNonce && row.lastError != null && row.lastError.contains("nonce too low")) {
                    // The node lost the receipt (a chain restored from a state dump) but the nonce is
                    // used, and this signer never signs two transactions for one nonce: it was this one.
                    row.status = EffectStatus.Status.CONFIRMED;
                    row.fail("Confirmed by its nonce: the node has no receipt for it any more");
                    row.confirmedAt = now;
                    done++;
                }
            }
            return done;
        });
    }

    private String signerAddress() {
        return client.signer().getAddress().toLowerCase(java.util.Locale.ROOT);
    }
}
