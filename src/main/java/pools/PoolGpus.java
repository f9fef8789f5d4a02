package pools;

import static pools.Input.reasonOr;
import static pools.Input.text;
import static pools.Input.url;

import accounts.Caller;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.ChainEffect;
import chain.Token;
import gpu.Certificate;
import gpu.Certification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import platform.DomainException;
import platform.Epochs;

/**
 * A GPU's way through a pool: registered (one pool at a time, never a UUID another operator
 * certified or that has a live NFT elsewhere), certified as the gpu module's certificates say,
 * minted as a GPU NFT through the chain outbox (asked again when the chain refused), leaving after
 * the pool's notice period unless a {@link LeavingGuard} holds it, retired.
 */
@ApplicationScoped
class PoolGpus {

    private final Operators operators;
    private final Chain chain;
    private final Certification certification;
    private final Heartbeats heartbeats;
    private final Instance<LeavingGuard> guards;
    private final Epochs epochs;
    private final Clock clock;

    PoolGpus(Operators operators, Chain chain, Certification certification, Heartbeats heartbeats, Instance<LeavingGuard> guards,
             Epochs epochs, Clock clock) {
        this.operators = operators;
        this.chain = chain;
        this.certification = certification;
        this.heartbeats = heartbeats;
        this.guards = guards;
        this.epochs = epochs;
        this.clock = clock;
    }

    /** Registers a GPU to a pool, for the pool's operator or (in a distributed pool) an active member. */
    GpuEntity register(Caller caller, long poolId, GpuRegistration registration) {
        PoolEntity pool = PoolEntity.existing(poolId);
        long operatorId = registration.operatorId() == null ? pool.operatorId : registration.operatorId();
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        if (operator.id.longValue() != pool.operatorId.longValue()) {
            MemberEntity member = MemberEntity.findById(new MemberEntity.Key(poolId, operator.id));
            if (member == null || !member.mayRegisterGpus()) {
                throw DomainException.forbidden("Operator " + operator.id + " is not a member of pool " + poolId
                        + "; ask to join it first");
            }
        }
        String uuid = GpuUuid.parse("uuid", text("uuid", registration.uuid(), GpuUuid.MAX_LENGTH)).value();
        if (GpuEntity.count("gpuUuid = ?1 and status <> ?2", uuid, GpuStatus.RETIRED) > 0) {
            throw DomainException.conflict("The GPU " + uuid + " is already registered in a pool");
        }
        Instant now = clock.instant();
        WalletAddress wallet = operators.holder(operator);
        Optional<Certificate> elsewhere = certification.validCertificateOfAnother(uuid, wallet, now);
        if (elsewhere.isPresent()) {
            throw DomainException.conflict("The GPU " + uuid + " is certified for operator " + elsewhere.get().operator().checksummed()
                    + " until " + elsewhere.get().expiresAt() + "; that operator must revoke its certificate before the GPU is registered elsewhere");
        }
        refuseLiveNft(uuid, null);
        GpuEntity gpu = new GpuEntity();
        gpu.id = GpuEntity.nextId();
        gpu.poolId = poolId;
        gpu.operatorId = operator.id;
        gpu.hostName = text("hostName", registration.hostName(), 253);
        gpu.serialNumber = text("serialNumber", registration.serialNumber(), 100);
        gpu.gpuUuid = uuid;
        gpu.status = GpuStatus.REGISTERED;
        gpu.registeredAt = now;
        gpu.updatedAt = now;
        gpu.persist();
        GpuEventEntity registered = new GpuEventEntity();
        registered.gpuId = gpu.id;
        registered.toStatus = GpuStatus.REGISTERED;
        registered.reason = "registered on " + gpu.hostName;
        registered.at = now;
        registered.persist();
        syncCertification(gpu, pool, now);
        return gpu;
    }

    /** REGISTERED and CERTIFIED follow the gpu module's certificates (issued, expired or revoked since). */
    void syncCertification(GpuEntity gpu, PoolEntity pool, Instant now) {
        if (gpu.status != GpuStatus.REGISTERED && gpu.status != GpuStatus.CERTIFIED) {
            return;
        }
        Optional<Certificate> certificate = certification.validCertificate(gpu.gpuUuid, now)
                .filter(c -> c.modelId().equals(pool.modelId));
        if (certificate.isPresent() && gpu.status == GpuStatus.REGISTERED) {
            gpu.certificateHash = certificate.get().hash();
            gpu.moveTo(GpuStatus.CERTIFIED, now, "certificate " + certificate.get().hash());
        } else if (certificate.isEmpty() && gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.REGISTERED, now, "its certificate is no longer valid");
        }
    }

    /**
     * Mints the GPU's NFT through the chain outbox. Refused (422, with the reason) unless the gpu
     * module holds a valid certificate for this GPU's UUID, of the pool's model, issued to the
     * GPU's operator.
     */
    GpuEntity mint(Caller caller, long gpuId, MintRequest request) {
        return mint(own(caller, gpuId), request);
    }

    /** Asks again for a mint the chain refused: the same NFT under a new outbox key, to {@code to} or the previous recipient. */
    GpuEntity retryMint(Caller caller, long gpuId, String to) {
        GpuEntity gpu = own(caller, gpuId);
        if (gpu.mintRefusal(chain).isEmpty()) {
            throw DomainException.conflict("GPU " + gpuId + " has no refused mint to ask again: it is " + gpu.status.name().toLowerCase()
                    + (gpu.status == GpuStatus.MINTING ? " (its mint is on its way)" : ""));
        }
        return mint(gpu, new MintRequest(to == null || to.isBlank() ? gpu.mintTo : to, gpu.purchaseDate, gpu.inServiceDate,
                gpu.hostingAgreementUrl, gpu.ownershipContractUrl));
    }

    private GpuEntity mint(GpuEntity gpu, MintRequest request) {
        long gpuId = gpu.id;
        PoolEntity pool = PoolEntity.findById(gpu.poolId);
        Instant now = clock.instant();
        Optional<String> refused = gpu.mintRefusal(chain);
        if (gpu.status == GpuStatus.MINTING && refused.isPresent()) {
            gpu.moveTo(GpuStatus.CERTIFIED, now, "the chain refused the mint: " + refused.get());
        }
        if (gpu.status != GpuStatus.REGISTERED && gpu.status != GpuStatus.CERTIFIED) {
            throw DomainException.conflict("GPU " + gpuId + " is " + gpu.status.name().toLowerCase() + "; only a registered, certified GPU is minted");
        }
        Certificate certificate = certification.validCertificate(gpu.gpuUuid, now)
                .orElseThrow(() -> DomainException.refused("GPU " + gpu.gpuUuid + " has no valid certificate: run 'bc-cli certify' on its host first"));
        if (!certificate.modelId().equals(pool.modelId)) {
            throw DomainException.refused("GPU " + gpu.gpuUuid + " is certified as " + certificate.modelId()
                    + ", but pool " + pool.id + " holds " + pool.modelId);
        }
        WalletAddress operatorWallet = operators.holder(OperatorEntity.findById(gpu.operatorId));
        if (!certificate.operator().equals(operatorWallet)) {
            throw DomainException.refused("GPU " + gpu.gpuUuid + "'s certificate was issued to " + certificate.operator().checksummed()
                    + ", not to its operator " + operatorWallet.checksummed());
        }
        if (request.purchaseDate() == null || request.inServiceDate() == null) {
            throw DomainException.invalid("purchaseDate, inServiceDate: a GPU NFT records when the GPU was bought and put in service");
        }
        if (request.inServiceDate().isBefore(request.purchaseDate())) {
            throw DomainException.invalid("inServiceDate: a GPU goes into service after it is bought");
        }
        String to = request.to() == null || request.to().isBlank() ? operatorWallet.value() : WalletAddress.of(request.to()).value();
        refuseLiveNft(gpu.gpuUuid, gpu.id);
        if (refused.isPresent()) {
            gpu.mintAttempt++; // the refused request's key is used up: a new one is a new effect
        }
        gpu.certificateHash = certificate.hash();
        gpu.mintTo = to;
        gpu.purchaseDate = request.purchaseDate();
        gpu.inServiceDate = request.inServiceDate();
        gpu.hostingAgreementUrl = url("hostingAgreementUrl", request.hostingAgreementUrl());
        gpu.ownershipContractUrl = url("ownershipContractUrl", request.ownershipContractUrl());
        if (gpu.status == GpuStatus.REGISTERED) {
            gpu.moveTo(GpuStatus.CERTIFIED, now, "certificate " + certificate.hash());
        }
        gpu.moveTo(GpuStatus.MINTING, now, "GPU NFT requested for " + to);
        chain.request(gpu.mintKey(), new ChainEffect.MintGpuNft(to, BigInteger.valueOf(gpu.id), new ChainEffect.GpuNftMetadata(
                pool.modelId, gpu.serialNumber, gpu.purchaseDate.atStartOfDay().toInstant(ZoneOffset.UTC),
                gpu.inServiceDate.atStartOfDay().toInstant(ZoneOffset.UTC),
                gpu.hostingAgreementUrl, gpu.ownershipContractUrl, certificate.hash())));
        return gpu;
    }

    /**
     * Takes a GPU out of its pool. A GPU not yet minted is retired at once; one in service leaves
     * after the pool's notice period, unless it backs a commitment it cannot be freed from (409).
     */
    GpuEntity leave(Caller caller, long gpuId, String reason) {
        GpuEntity gpu = own(caller, gpuId);
        PoolEntity pool = PoolEntity.findById(gpu.poolId);
        Instant now = clock.instant();
        if (gpu.status == GpuStatus.REGISTERED || gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.RETIRED, now, reasonOr(reason, "withdrawn before it was minted"));
            heartbeats.forget(gpu.gpuUuid);
            return gpu;
        }
        Instant leavesAt = now.plus(noticePeriodAt(pool, now));
        guardLeaving(gpu, pool, leavesAt);
        gpu.leavesAt = leavesAt;
        gpu.moveTo(GpuStatus.LEAVING, now, reasonOr(reason, "its operator asked it to leave") + "; leaves at " + leavesAt);
        return gpu;
    }

    /** With its operator leaving the pool (or removed from it): retired if not minted yet, else leaving after the notice period. */
    void retireOrLeave(GpuEntity gpu, PoolEntity pool, Instant now, String reason) {
        if (gpu.status == GpuStatus.REGISTERED || gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.RETIRED, now, reason);
        } else if (gpu.status.inService() && gpu.status != GpuStatus.LEAVING) {
            gpu.leavesAt = now.plus(noticePeriodAt(pool, now));
            gpu.moveTo(GpuStatus.LEAVING, now, reason);
        }
        heartbeats.forget(gpu.gpuUuid);
    }

    /** Refuses (409, with the guard's reason) a GPU that backs a commitment it cannot be freed from by {@code leavesAt}. */
    void guardLeaving(GpuEntity gpu, PoolEntity pool, Instant leavesAt) {
        for (LeavingGuard guard : guards) {
            Optional<String> reason = guard.reasonToStay(pool.id, gpu.id, leavesAt);
            if (reason.isPresent()) {
                throw DomainException.conflict("GPU " + gpu.id + " cannot leave: " + reason.get());
            }
        }
    }

    /** The notice period in force at {@code now}: an announced one only from its epoch on. */
    Duration noticePeriodAt(PoolEntity pool, Instant now) {
        return pool.noticePeriodIn(epochs.epochAt(now));
    }

    /** The GPU, locked, if {@code caller} has its operator's rights. */
    private GpuEntity own(Caller caller, long gpuId) {
        GpuEntity gpu = GpuEntity.locked(gpuId);
        operators.requireRights(caller, gpu.operatorId);
        return gpu;
    }

    /**
     * Refuses (409) a GPU UUID that has a live GPU NFT on another GPU row (a GPU in service
     * elsewhere, or retired with its NFT not yet burned): a UUID never has two live NFTs.
     */
    private void refuseLiveNft(String uuid, Long exceptGpuId) {
        for (GpuEntity other : GpuEntity.<GpuEntity>list("gpuUuid = ?1 and mintTo is not null", uuid)) {
            if (other.id.equals(exceptGpuId)) {
                continue;
            }
            Optional<Token> nft = chain.token(AssetKind.GPU, BigInteger.valueOf(other.id)).filter(t -> !t.burned());
            if (nft.isPresent()) {
                throw DomainException.conflict("The GPU " + uuid + " still has a live GPU NFT #" + other.id + " (held by "
                        + WalletAddress.of(nft.get().owner()).checksummed() + ", GPU " + other.status.name().toLowerCase()
                        + "); it is burned once that GPU has retired, and only then can the UUID be registered again");
            }
        }
    }
}
