package chain;

import accounts.ManagedWallets;
import accounts.WalletAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.BatchRequest;
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
 *       (the same bytes every time, so a resend can never execute twice: the nonce is taken). A
 *       transaction the node refuses for good (insufficient funds, intrinsic gas too low, invalid,
 *       ...) makes its row FAILED with the node's reason, and its nonce is filled with a no-op
 *       transfer to the signer itself, so that the transactions after it are not held up and the
 *       refused bytes can never be mined;</li>
 *   <li><b>confirm</b>: receipts of the rows' own transaction hashes are fetched in batches, and rows
 *       become CONFIRMED (or FAILED when the chain reverted them) once buried under
 *       {@code bc.chain.confirmations} blocks. Only a receipt of the row's own hash confirms it: when
 *       the signer's nonce was used by another transaction (another process with the same key),
 *       the row is signed again with a new nonce.</li>
 * </ol>
 * Nonces are pipelined: a round signs and sends up to {@code bc.chain.batch-size} rows without
 * waiting for any receipt. Only the instance holding the chain leader lock runs the relay.
 */
@ApplicationScoped
class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final int RECEIPT_BATCH = 500;
    private static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);
    /** How soon a filler the node refused (for example for lack of funds) is sent again. */
    private static final Duration FILLER_RETRY = Duration.ofSeconds(1);
    /** A managed wallet short of gas gets ether for this many transactions at the gas limit and current fees. */
    private static final int TOP_UP_TRANSACTIONS = 10;

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ChainConfig config;
    private final Clock clock;
    private final EntityManager em;
    private final ManagedWallets managed;
    private final Chain chain;

    Relay(ChainClient client, ContractRegistry contracts, ChainConfig config, Clock clock, EntityManager em, ManagedWallets managed,
          Chain chain) {
        this.managed = managed;
        this.chain = chain;
        this.client = client;
        this.contracts = contracts;
        this.config = config;
        this.clock = clock;
        this.em = em;
    }

    /** What the node's answer to eth_sendRawTransaction means for the transaction. */
    enum Answer {
        /** Taken, or already in the node's pool. */
        ACCEPTED,
        /** The nonce is used already: by this transaction (its receipt will say) or another one. */
        NONCE_USED,
        /** The node will never take these bytes. */
        REFUSED,
        /** Busy, underpriced for now, a gap before it: send again later. */
        TRY_AGAIN;

        static Answer of(String error) {
            if (error == null) {
                return ACCEPTED;
            }
            String e = error.toLowerCase(Locale.ROOT);
            if (e.contains("already known") || e.contains("known transaction") || e.contains("already imported")) {
                return ACCEPTED;
            }
            if (e.contains("nonce too low") || e.contains("nonce has already been used") || e.contains("noncetoolow")) {
                return NONCE_USED;
            }
            if (e.contains("insufficient funds") || e.contains("intrinsic gas") || e.contains("gas too low")
                    || e.contains("exceeds block gas limit") || e.contains("gas limit reached") || e.contains("oversized")
                    || e.contains("invalid") || e.contains("not supported") || e.contains("chain id")
                    || e.contains("fee cap less than tip") || e.contains("tip higher than")) {
                return REFUSED;
            }
            return TRY_AGAIN;
        }
    }

    /** One round of sign, send, confirm; the number of rows it moved (0 when idle). */
    int round() throws IOException {
        // who has effects to sign: the platform signer ("") and managed wallets; one statement while idle
        @SuppressWarnings("unchecked")
        List<String> senders = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select distinct coalesce(sender, '') from chain_outbox where status = 'PENDING' limit ?1")
                .setParameter(1, config.batchSize() + 1).getResultList());
        List<String> wallets = senders.stream().filter(sender -> !sender.isEmpty()).toList();
        return (senders.contains("") ? sign() : 0) + signForWallets(wallets) + send() + confirm();
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

    /**
     * Signs the pending acts of managed wallets ({@link WalletActs}), each with its
     * wallet's key and nonces. A wallet whose ether does not cover its transactions' gas limit at
     * the current fees gets a top-up from the platform signer first ({@link ChainEffect.SendEther},
     * enough for {@link #TOP_UP_TRANSACTIONS} transactions), and its acts wait, still pending, until
     * the top-up is on chain.
     */
    private int signForWallets(List<String> senders) throws IOException {
        if (senders.isEmpty()) {
            return 0;
        }
        Fees fees = Fees.current(client.web3j());
        BigInteger perTransaction = config.gasLimit().multiply(fees.maxFeePerGas());
        int signed = 0;
        for (String sender : senders) {
            BigInteger balance = client.balance(sender);
            long chainNonce = client.pendingNonce(sender);
            signed += QuarkusTransaction.requiringNew().call(() -> {
                List<OutboxEntity> rows = OutboxEntity.<OutboxEntity>find("status = ?1 and sender = ?2 order by id",
                                EffectStatus.Status.PENDING, sender)
                        .withLock(LockModeType.PESSIMISTIC_WRITE)
                        .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                        .page(0, config.batchSize()).list();
                if (rows.isEmpty()) {
                    return 0;
                }
                BigInteger needed = perTransaction.multiply(BigInteger.valueOf(rows.size() + 1L)); // and a filler, should one be refused
                if (balance.compareTo(needed) < 0) {
                    Optional<String> failed = failedTopUp(sender, rows.get(0).createdAt);
                    if (failed.isPresent()) { // the platform could not pay: the acts fail rather than wait for ever
                        Instant now = clock.instant();
                        rows.forEach(row -> {
                            row.status = EffectStatus.Status.FAILED;
                            row.fail("The platform could not pay this wallet's gas: " + failed.get());
                            row.confirmedAt = now;
                        });
                        return rows.size();
                    }
                    topUp(sender, needed.max(perTransaction.multiply(BigInteger.valueOf(TOP_UP_TRANSACTIONS))).subtract(balance));
                    return 0;
                }
                em.createNativeQuery("insert into chain_signer (chain_id, address, next_nonce) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, client.chainId()).setParameter(2, sender).setParameter(3, chainNonce).executeUpdate();
                long nonce = lockNextNonce(sender, chainNonce);
                Instant now = clock.instant();
                for (OutboxEntity row : rows) {
                    signWith(row, nonce++, fees, now);
                }
                storeNextNonce(sender, nonce);
                return rows.size();
            });
        }
        return signed;
    }

    /** Why the last top-up of {@code wallet} asked for after {@code since} failed, if it did. */
    private Optional<String> failedTopUp(String wallet, Instant since) {
        @SuppressWarnings("unchecked")
        List<String> errors = em.createNativeQuery("""
                        select coalesce(last_error, 'failed') from chain_outbox where kind = 'SendEther' and status = 'FAILED'
                        and sender is null and payload ->> 'to' = ?1 and created_at >= ?2 order by id desc limit 1""")
                .setParameter(1, wallet).setParameter(2, since).getResultList();
        return errors.stream().findFirst();
    }

    /** Asks the platform signer for ether to {@code wallet}'s gas, unless a top-up is on its way already. */
    private void topUp(String wallet, BigInteger wei) {
        boolean onItsWay = !em.createNativeQuery("""
                        select 1 from chain_outbox where kind = 'SendEther' and status in ('PENDING', 'SENT')
                        and sender is null and payload ->> 'to' = ?1 limit 1""")
                .setParameter(1, wallet).getResultList().isEmpty();
        if (onItsWay) {
            return;
        }
        ChainEffect.SendEther gas = new ChainEffect.SendEther(wallet, wei.min(ChainEffect.SendEther.MAX_WEI));
        chain.request("gas-" + wallet + "-" + UUID.randomUUID(), gas);
        LOG.infof("Topping up the gas of managed wallet %s with %s wei", wallet, gas.wei());
    }

    /** Signs the platform signer's pending effects. */
    private int sign() throws IOException {
        Fees fees = Fees.current(client.web3j());
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OutboxEntity> rows = OutboxEntity.<OutboxEntity>find("status = ?1 and sender is null order by id", EffectStatus.Status.PENDING)
                    .withLock(LockModeType.PESSIMISTIC_WRITE)
                    .withHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                    .page(0, config.batchSize()).list();
            if (rows.isEmpty()) {
                return 0;
            }
            long nonce = lockNextNonce(signerAddress(), 0);
            Instant now = clock.instant();
            for (OutboxEntity row : rows) {
                signWith(row, nonce++, fees, now);
            }
            storeNextNonce(signerAddress(), nonce);
            return rows.size();
        });
    }

    private void signWith(OutboxEntity row, long nonce, Fees fees, Instant now) {
        ChainEffect effect = Effects.read(row.payload);
        RawTransaction tx = RawTransaction.createTransaction(client.chainId(), BigInteger.valueOf(nonce),
                config.gasLimit(), EffectEncoder.to(effect, contracts), EffectEncoder.value(effect), EffectEncoder.calldata(effect),
                fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        String signer = row.sender == null ? signerAddress() : row.sender;
        String raw = signed(tx, signer); // before the row changes: a managed wallet's signature reads its key (a flush)
        row.signer = signer;
        row.nonce = nonce;
        row.rawTx = raw;
        row.txHash = Hash.sha3(row.rawTx);
        row.status = EffectStatus.Status.SENT;
        row.signedAt = now;
        row.sentAt = null;
    }

    /** The bytes of {@code tx} signed by {@code signer}: the platform signer, or a managed wallet with its custody key. */
    private String signed(RawTransaction tx, String signer) {
        return Numeric.toHexString(signer.equals(signerAddress())
                ? TransactionEncoder.signMessage(tx, client.chainId(), client.signer())
                : managed.sign(WalletAddress.of(signer), tx, client.chainId()));
    }

    /** {@code signer}'s next nonce, locked until the transaction ends; at least {@code atLeast}. */
    private long lockNextNonce(String signer, long atLeast) {
        long stored = ((Number) em.createNativeQuery(
                        "select next_nonce from chain_signer where chain_id = ?1 and address = ?2 for update")
                .setParameter(1, client.chainId()).setParameter(2, signer).getSingleResult()).longValue();
        return Math.max(stored, atLeast);
    }

    private void storeNextNonce(String signer, long next) {
        em.createNativeQuery("update chain_signer set next_nonce = ?1 where chain_id = ?2 and address = ?3")
                .setParameter(1, next).setParameter(2, client.chainId()).setParameter(3, signer).executeUpdate();
    }

    private int send() throws IOException {
        Instant now = clock.instant();
        Instant overdue = now.minus(config.rebroadcastAfter());
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(() -> OutboxEntity.<OutboxEntity>find(
                        "status = ?1 and (sentAt is null or sentAt < ?2) order by nonce", EffectStatus.Status.SENT, overdue)
                .page(0, config.batchSize()).list());
        List<NonceFillEntity> fillers = QuarkusTransaction.requiringNew().call(() -> NonceFillEntity.<NonceFillEntity>find(
                        "doneAt is null and (sentAt is null or sentAt < ?1 or (lastError is not null and sentAt < ?2)) order by nonce",
                        overdue, now.minus(FILLER_RETRY))
                .page(0, config.batchSize()).list());
        if (rows.isEmpty() && fillers.isEmpty()) {
            return 0;
        }
        BatchRequest batch = client.web3j().newBatch();
        rows.forEach(row -> batch.add(client.web3j().ethSendRawTransaction(row.rawTx)));
        fillers.forEach(filler -> batch.add(client.web3j().ethSendRawTransaction(filler.rawTx)));
        List<? extends Response<?>> responses = batch.send().getResponses();
        boolean anyRefused = false;
        for (int i = 0; i < rows.size(); i++) {
            anyRefused |= Answer.of(error(responses.get(i))) == Answer.REFUSED;
        }
        Fees fees = anyRefused ? Fees.current(client.web3j()) : null;
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < rows.size(); i++) {
                OutboxEntity row = OutboxEntity.findById(rows.get(i).id);
                String error = error(responses.get(i));
                row.attempts++;
                row.sentAt = now;
                switch (Answer.of(error)) {
                    case ACCEPTED, NONCE_USED -> {
                        if (error != null) {
                            row.fail(error);
                        }
                    }
                    case TRY_AGAIN -> {
                        LOG.warnf("The chain did not take transaction %s (%s, nonce %d) yet: %s", row.txHash, row.effectKey, row.nonce, error);
                        row.fail(error);
                    }
                    case REFUSED -> {
                        LOG.warnf("The chain refused transaction %s (%s, nonce %d) for good: %s", row.txHash, row.effectKey, row.nonce, error);
                        row.status = EffectStatus.Status.FAILED;
                        row.fail("Refused by the node: " + error);
                        row.confirmedAt = now;
                        fill(row, fees, now); // in the same transaction: a FAILED row always has its filler
                    }
                }
            }
            for (int i = 0; i < fillers.size(); i++) {
                NonceFillEntity filler = NonceFillEntity.findById(key(fillers.get(i)));
                String error = error(responses.get(rows.size() + i));
                filler.attempts++;
                filler.sentAt = now;
                filler.lastError = Answer.of(error) == Answer.ACCEPTED || Answer.of(error) == Answer.NONCE_USED ? null : truncate(error);
            }
        });
        return rows.size() + fillers.size();
    }

    /** Signs a no-op for a refused row's nonce, so the nonce is used and the refused bytes can never be mined. */
    private void fill(OutboxEntity row, Fees fees, Instant now) {
        NonceFillEntity filler = new NonceFillEntity();
        filler.signer = row.signer;
        filler.nonce = row.nonce;
        filler.outboxId = row.id;
        RawTransaction tx = RawTransaction.createTransaction(client.chainId(), BigInteger.valueOf(row.nonce), TRANSFER_GAS,
                row.signer, BigInteger.ZERO, "0x", fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        filler.rawTx = signed(tx, row.signer);
        filler.txHash = Hash.sha3(filler.rawTx);
        filler.createdAt = now;
        em.merge(filler);
    }

    private int confirm() throws IOException {
        List<OutboxEntity> rows = QuarkusTransaction.requiringNew().call(() -> OutboxEntity.<OutboxEntity>find(
                        "status = ?1 and sentAt is not null order by nonce", EffectStatus.Status.SENT)
                .page(0, RECEIPT_BATCH).list());
        List<NonceFillEntity> fillers = QuarkusTransaction.requiringNew().call(() -> NonceFillEntity.<NonceFillEntity>find(
                "doneAt is null and sentAt is not null order by nonce").page(0, RECEIPT_BATCH).list());
        if (rows.isEmpty() && fillers.isEmpty()) {
            return 0;
        }
        // the nonce first, then the receipts: a nonce used before the receipts were asked for, with
        // no receipt of ours, was used by another transaction
        Map<String, Long> minedNonces = new HashMap<>();
        for (String signer : signers(rows, fillers)) {
            minedNonces.put(signer, client.minedNonce(signer));
        }
        long head = client.headBlock();
        Map<String, TransactionReceipt> receipts = receipts(rows.stream().map(r -> r.txHash).toList());
        Map<Long, OutboxEntity> refusedRows = new HashMap<>();
        if (!fillers.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> fillers.forEach(f -> refusedRows.put(f.outboxId, OutboxEntity.findById(f.outboxId))));
        }
        List<String> extra = new ArrayList<>(fillers.stream().map(f -> f.txHash).toList());
        refusedRows.values().forEach(r -> extra.add(r.txHash));
        receipts.putAll(receipts(extra));
        Map<Long, String> usedBy = new HashMap<>();
        for (OutboxEntity row : rows) {
            if (!receipts.containsKey(row.txHash) && row.nonce < minedNonces.get(row.signer)) {
                usedBy.put(row.id, client.minedTxHash(row.signer, row.nonce).orElse(null));
            }
        }
        Map<String, Long> nextFree = new HashMap<>();
        for (OutboxEntity row : rows) {
            if (usedBy.containsKey(row.id) && !nextFree.containsKey(row.signer)) {
                nextFree.put(row.signer, client.pendingNonce(row.signer));
            }
        }
        Fees fees = usedBy.isEmpty() ? null : Fees.current(client.web3j());
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            int done = 0;
            Map<String, Long> resignAt = new HashMap<>();
            for (OutboxEntity stale : rows) {
                OutboxEntity row = OutboxEntity.findById(stale.id);
                TransactionReceipt receipt = receipts.get(row.txHash);
                if (receipt != null) {
                    if (settle(row, receipt, head, now)) {
                        done++;
                    }
                } else if (usedBy.containsKey(row.id)) {
                    String other = usedBy.get(row.id);
                    if (other != null && other.equalsIgnoreCase(row.txHash)) {
                        continue; // ours used it: its receipt is on its way
                    }
                    if (other == null && !row.signedAt.isBefore(now.minus(config.rebroadcastAfter()))) {
                        continue; // the node cannot say which transaction used it: give our receipt time to appear
                    }
                    long nonce = resignAt.computeIfAbsent(row.signer, signer -> lockNextNonce(signer, nextFree.get(signer)));
                    resignAt.put(row.signer, nonce + 1);
                    long old = row.nonce;
                    String oldHash = row.txHash;
                    signWith(row, nonce, fees, now);
                    row.fail("Nonce " + old + " was used by another transaction of " + row.signer + " (" + (other == null ? "the node does not say which" : other)
                            + "), not by " + oldHash + "; signed again with nonce " + row.nonce);
                    LOG.warnf("Effect %s: %s", row.effectKey, row.lastError);
                    done++;
                }
            }
            resignAt.forEach(Relay.this::storeNextNonce);
            for (NonceFillEntity stale : fillers) {
                NonceFillEntity filler = NonceFillEntity.findById(key(stale));
                OutboxEntity refused = OutboxEntity.findById(filler.outboxId);
                TransactionReceipt original = receipts.get(refused.txHash);
                if (receipts.containsKey(filler.txHash)) {
                    filler.doneAt = now;
                    done++;
                } else if (original != null) {
                    // the refused bytes were mined after all (another node had them): the row is what its receipt says
                    if (settle(refused, original, head, now)) {
                        refused.fail("Mined after all, although the node had refused it; " + (receipt(original)));
                        filler.doneAt = now;
                        done++;
                    }
                } else if (filler.nonce < minedNonces.get(filler.signer)) {
                    filler.doneAt = now; // the nonce was used by another transaction: the gap is closed either way
                    done++;
                }
            }
            return done;
        });
    }

    private static Set<String> signers(List<OutboxEntity> rows, List<NonceFillEntity> fillers) {
        Set<String> signers = new HashSet<>();
        rows.forEach(row -> signers.add(row.signer));
        fillers.forEach(filler -> signers.add(filler.signer));
        return signers;
    }

    /** Settles a row by its own receipt once it has its confirmations; false while it needs more. */
    private boolean settle(OutboxEntity row, TransactionReceipt receipt, long head, Instant now) {
        row.blockNumber = receipt.getBlockNumber().longValueExact();
        if (head - row.blockNumber + 1 < config.confirmations()) {
            return false;
        }
        row.status = receipt.isStatusOK() ? EffectStatus.Status.CONFIRMED : EffectStatus.Status.FAILED;
        if (!receipt.isStatusOK()) {
            row.fail("Reverted by the chain in block " + row.blockNumber);
        } else {
            row.lastError = null;
        }
        row.confirmedAt = now;
        return true;
    }

    private static String receipt(TransactionReceipt receipt) {
        return (receipt.isStatusOK() ? "mined" : "reverted") + " in block " + receipt.getBlockNumber();
    }

    private Map<String, TransactionReceipt> receipts(List<String> hashes) throws IOException {
        Map<String, TransactionReceipt> found = new HashMap<>();
        if (hashes.isEmpty()) {
            return found;
        }
        BatchRequest batch = client.web3j().newBatch();
        hashes.forEach(hash -> batch.add(client.web3j().ethGetTransactionReceipt(hash)));
        List<? extends Response<?>> responses = batch.send().getResponses();
        for (int i = 0; i < hashes.size(); i++) {
            Optional<TransactionReceipt> receipt = ((EthGetTransactionReceipt) responses.get(i)).getTransactionReceipt();
            if (receipt.isPresent()) {
                found.put(hashes.get(i), receipt.get());
            }
        }
        return found;
    }

    private static NonceFillEntity.Key key(NonceFillEntity filler) {
        NonceFillEntity.Key key = new NonceFillEntity.Key();
        key.signer = filler.signer;
        key.nonce = filler.nonce;
        return key;
    }

    private static String error(Response<?> response) {
        return response.hasError() ? response.getError().getMessage() : null;
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    }

    private String signerAddress() {
        return client.signer().getAddress().toLowerCase(Locale.ROOT);
    }
}
