package gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import accounts.TestWallet;
import accounts.WalletAddress;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/**
 * With demo mode off (the default), demo certificates are refused and never valid: one a demo run
 * left in the database certifies nothing (market.DemoNetworkTest shows them valid with demo mode on).
 */
@QuarkusTest
class DemoCertificateOffTest {

    @Inject
    Certification certification;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void noDemoCertificateIsIssued() {
        DomainException refused = assertThrows(DomainException.class, () -> certification.issueDemoCertificate(
                WalletAddress.of(TestWallet.random().address()), "GPU-" + UUID.randomUUID(), "h100-sxm"));
        assertEquals(403, refused.kind().status());
        assertTrue(refused.getMessage().contains("demo mode"), refused.getMessage());
    }

    @Test
    void aDemoCertificateLeftInTheDatabaseIsNotValid() throws Exception {
        String uuid = "GPU-" + UUID.randomUUID();
        String hash = "0x" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into gpu_certificate (hash, gpu_uuid, model_id, operator, report_id, issued_at, expires_at, content, demo)
                values (?, ?, 'h100-sxm', ?, null, ?, ?, '{"demo":true}', true)""")) {
            s.setString(1, hash);
            s.setString(2, uuid);
            s.setString(3, TestWallet.random().address().toLowerCase());
            s.setTimestamp(4, Timestamp.from(now.minus(Duration.ofHours(1))));
            s.setTimestamp(5, Timestamp.from(now.plus(Duration.ofDays(30))));
            s.executeUpdate();
        }
        assertTrue(certification.validCertificate(uuid, now).isEmpty(), "a demo certificate is not valid with demo mode off");
        assertTrue(certification.certificate(hash).orElseThrow().demo(), "and it says what it is");
    }
}
