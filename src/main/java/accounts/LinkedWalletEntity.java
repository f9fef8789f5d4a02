package accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The external wallet a passkey account linked (SIWE): it signs in to that account and receives its withdrawals. */
@Entity
@Table(name = "accounts_linked_wallet")
class LinkedWalletEntity extends PanacheEntityBase {

    @Id
    public String wallet;

    /** The passkey account's address (its managed wallet). */
    @Column(nullable = false, unique = true)
    public String account;

    @Column(name = "linked_at", nullable = false)
    public Instant linkedAt;
}
