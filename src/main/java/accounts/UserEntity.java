package accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "accounts_user")
class UserEntity extends PanacheEntityBase {

    @Id
    public String address;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_sign_in_at", nullable = false)
    public Instant lastSignInAt;

    /** A wallet that signs in with its own key, or a passkey account whose managed wallet the platform holds. */
    enum Kind { WALLET, PASSKEY }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind = Kind.WALLET;

    /** Where receipts would go; optional, never required. */
    public String email;
}
